package dev.modelbridge.validate.rules.infer;

import dev.modelbridge.infer.GraphTypes;
import dev.modelbridge.infer.ModelInference;
import dev.modelbridge.validate.GraphScope;
import dev.modelbridge.validate.Rule;
import dev.modelbridge.validate.RuleContext;
import dev.modelbridge.validate.Severity;
import java.util.Optional;

/** {@code infer.incompatible-types}: inputs of a node whose types or shapes cannot go together. */
public final class IncompatibleTypesRule implements Rule {

  @Override
  public String id() {
    return "infer.incompatible-types";
  }

  @Override
  public Severity defaultSeverity() {
    return Severity.ERROR;
  }

  @Override
  public String summary() {
    return "Type and shape inference finds node inputs that cannot go together, such as Add of float and "
        + "int64 or MatMul with different inner dimensions.";
  }

  @Override
  public void check(RuleContext context) {
    ModelInference inference = ModelInference.of(context);
    for (GraphScope scope : context.graphs()) {
      Optional<GraphTypes> g = inference.of(scope.graph());
      if (g.isEmpty()) {
        continue;
      }
      for (GraphTypes.Incompatibility i : g.get().incompatibilities()) {
        context.report(scope.at(i.node()).atField(i.field()), i.message());
      }
    }
  }
}
