package dev.modelbridge.validate.rules.policy;

import dev.modelbridge.ir.OpsetImport;
import dev.modelbridge.validate.GraphScope;
import dev.modelbridge.validate.Policy;
import dev.modelbridge.validate.RuleContext;
import java.util.OptionalLong;

/**
 * {@code policy.opset-range}: the default-domain opset the model (or a model-local function)
 * imports lies outside the policy's {@code opset: {min, max}}. A missing import is left to
 * {@code model.opset-missing}.
 */
public final class OpsetRangeRule extends PolicyRule {

  public OpsetRangeRule() {
    super("policy.opset-range", "The imported ai.onnx opset is outside the range the policy allows.");
  }

  @Override
  public void check(RuleContext context) {
    Policy p = context.policy();
    if (p.minOpset().isEmpty() && p.maxOpset().isEmpty()) {
      return;
    }
    for (GraphScope scope : context.graphs()) {
      // Nested graphs share their model's or function's imports: check each import list once.
      if (scope.owner().isPresent()) {
        continue;
      }
      for (OpsetImport o : scope.opsets()) {
        if (o.domain().isEmpty() || o.domain().equals("ai.onnx")) {
          check(context, scope, o.version(), p.minOpset(), p.maxOpset());
        }
      }
    }
  }

  private void check(RuleContext context, GraphScope scope, long version, OptionalLong min, OptionalLong max) {
    boolean low = min.isPresent() && version < min.getAsLong();
    boolean high = max.isPresent() && version > max.getAsLong();
    if (low || high) {
      String range = min.isPresent() && max.isPresent() ? min.getAsLong() + " to " + max.getAsLong()
          : min.isPresent() ? min.getAsLong() + " or newer" : max.getAsLong() + " or older";
      context.report(scope.location().atField("opset import 'ai.onnx'"),
          "imports ai.onnx opset " + version + "; the policy allows opsets " + range);
    }
  }
}
