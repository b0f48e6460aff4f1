package dev.modelbridge.validate.rules.infer;

import dev.modelbridge.infer.GraphTypes;
import dev.modelbridge.infer.ModelInference;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.Type;
import dev.modelbridge.ir.ValueInfo;
import dev.modelbridge.validate.GraphScope;
import dev.modelbridge.validate.Location;
import dev.modelbridge.validate.Rule;
import dev.modelbridge.validate.RuleContext;
import dev.modelbridge.validate.Severity;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * A declared type (a value_info or a graph output) that contradicts the type inferred for the
 * value. One class serves both rules: element types and shapes differ only in the comparison.
 * A definite contradiction (another element type, another rank, two different fixed sizes) is an
 * error, as onnx.checker's full check makes it; a strict policy adds declared dynamic dimensions
 * that the graph can only compute as fixed.
 */
public final class DeclaredMismatchRule implements Rule {
  private final String id;
  private final String summary;
  private final String what;
  private final BiFunction<Type, Type, Optional<String>> compare;

  private DeclaredMismatchRule(String id, String summary, String what,
      BiFunction<Type, Type, Optional<String>> compare) {
    this.id = id;
    this.summary = summary;
    this.what = what;
    this.compare = compare;
  }

  /** {@code infer.declared-type-mismatch}: a declared element type that differs from the inferred one. */
  public static Rule elementType() {
    return new DeclaredMismatchRule("infer.declared-type-mismatch",
        "A value_info or graph output declares an element type that contradicts the inferred one.",
        "element type", dev.modelbridge.infer.Types::elementMismatch);
  }

  /** {@code infer.declared-shape-mismatch}: a declared rank or fixed size that differs from the inferred one. */
  public static Rule shape() {
    return new DeclaredMismatchRule("infer.declared-shape-mismatch",
        "A value_info or graph output declares a shape that contradicts the inferred one (rank, or two "
            + "different fixed sizes).",
        "shape", dev.modelbridge.infer.Types::shapeMismatch);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Severity defaultSeverity() {
    return Severity.ERROR;
  }

  @Override
  public String summary() {
    return summary;
  }

  @Override
  public void check(RuleContext context) {
    ModelInference inference = ModelInference.of(context);
    for (GraphScope scope : context.graphs()) {
      Optional<GraphTypes> g = inference.of(scope.graph());
      if (g.isEmpty()) {
        continue;
      }
      Map<String, Node> producers = new HashMap<>();
      for (Node n : scope.graph().nodes()) {
        n.outputs().forEach(o -> producers.put(o, n));
      }
      check(context, scope, g.get(), scope.graph().valueInfos(), "value_info", producers);
      check(context, scope, g.get(), scope.graph().outputs(), "output", producers);
    }
  }

  private void check(RuleContext context, GraphScope scope, GraphTypes g, List<ValueInfo> values,
      String kind, Map<String, Node> producers) {
    for (ValueInfo v : values) {
      Optional<Type> inferred = g.inferred(v.name());
      if (v.type().isEmpty() || inferred.isEmpty()) {
        continue;
      }
      Optional<String> why = compare.apply(inferred.get(), v.type().get());
      if (why.isEmpty() && context.policy().strict() && id.equals("infer.declared-shape-mismatch")) {
        why = dev.modelbridge.infer.Types.symbolicButFixed(inferred.get(), v.type().get());
      }
      if (why.isEmpty()) {
        continue;
      }
      Node producer = producers.get(v.name());
      Location where = producer != null ? scope.at(producer) : scope.location();
      context.report(where.atField(kind + " '" + v.name() + "'"),
          "the " + what + " of " + kind + " '" + v.name() + "' is " + why.get()
              + (producer != null ? " from its producer " + producer.label() : ""));
    }
  }
}
