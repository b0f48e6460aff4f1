package dev.modelbridge.validate.rules.ops;

import dev.modelbridge.ir.Function;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.OpsetImport;
import dev.modelbridge.schema.OpSchema;
import dev.modelbridge.schema.OpSchemaRegistry;
import dev.modelbridge.validate.GraphScope;
import dev.modelbridge.validate.RuleContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Resolves every node of a model (main graph, nested graphs, function bodies) to what it calls,
 * once per model, shared by the operator rules through {@link RuleContext#shared}.
 */
public final class OpBindings {
  private final List<OpBinding> bindings;

  private OpBindings(List<OpBinding> bindings) {
    this.bindings = List.copyOf(bindings);
  }

  /** The bindings of the model in {@code context}, computed on first use. */
  public static OpBindings of(RuleContext context) {
    return context.shared(OpBindings.class, () -> compute(context, OpSchemaRegistry.onnx()));
  }

  /** Every node's binding, graph by graph in {@link RuleContext#graphs()} order. */
  public List<OpBinding> all() {
    return bindings;
  }

  private static OpBindings compute(RuleContext context, OpSchemaRegistry registry) {
    List<OpBinding> out = new ArrayList<>();
    Model model = context.model();
    for (GraphScope scope : context.graphs()) {
      for (Node node : scope.graph().nodes()) {
        out.add(bind(registry, model, scope, node));
      }
    }
    return new OpBindings(out);
  }

  static OpBinding bind(OpSchemaRegistry registry, Model model, GraphScope scope, Node node) {
    OptionalLong version = importedVersion(scope.opsets(), node.domain());
    Optional<Function> function = localFunction(model, node);
    if (function.isPresent()) {
      return new OpBinding(scope, node, OpBinding.Kind.FUNCTION, version, Optional.empty(), function);
    }
    if (!registry.knowsDomain(node.domain())) {
      return of(scope, node, OpBinding.Kind.CUSTOM, version, Optional.empty());
    }
    List<OpSchema> versions = registry.versions(node.domain(), node.opType());
    OptionalInt latest = registry.latestVersion(node.domain());
    if (versions.isEmpty()) {
      // An op missing from our table may be new in an operator set newer than the table.
      boolean newer = version.isPresent() && latest.isPresent() && version.getAsLong() > latest.getAsInt();
      return of(scope, node, newer ? OpBinding.Kind.UNRESOLVED : OpBinding.Kind.UNKNOWN_OP, version, Optional.empty());
    }
    if (version.isEmpty()) {
      return of(scope, node, OpBinding.Kind.UNRESOLVED, version, Optional.empty());
    }
    Optional<OpSchema> inForce = registry.lookup(node.domain(), node.opType(), version.getAsLong());
    if (inForce.isEmpty()) {
      return of(scope, node, OpBinding.Kind.NOT_YET, version, Optional.of(versions.get(0)));
    }
    OpBinding.Kind kind = inForce.get().deprecated() ? OpBinding.Kind.DEPRECATED : OpBinding.Kind.SCHEMA;
    return of(scope, node, kind, version, inForce);
  }

  private static OpBinding of(GraphScope scope, Node node, OpBinding.Kind kind, OptionalLong version,
      Optional<OpSchema> schema) {
    return new OpBinding(scope, node, kind, version, schema, Optional.empty());
  }

  /** The imported version of {@code domain} ({@code ""} and {@code ai.onnx} are one domain). */
  static OptionalLong importedVersion(List<OpsetImport> opsets, String domain) {
    String wanted = OpSchemaRegistry.canonicalDomain(domain);
    return opsets.stream()
        .filter(o -> OpSchemaRegistry.canonicalDomain(o.domain()).equals(wanted))
        .mapToLong(OpsetImport::version)
        .max();
  }

  /** The model-local function a node calls: same domain, name and overload. */
  static Optional<Function> localFunction(Model model, Node node) {
    String domain = OpSchemaRegistry.canonicalDomain(node.domain());
    return model.functions().stream()
        .filter(f -> OpSchemaRegistry.canonicalDomain(f.domain()).equals(domain)
            && f.name().equals(node.opType()) && f.overload().equals(node.overload()))
        .findFirst();
  }
}
