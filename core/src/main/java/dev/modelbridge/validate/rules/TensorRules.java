package dev.modelbridge.validate.rules;

import dev.modelbridge.validate.Rule;
import dev.modelbridge.validate.rules.tensor.DataSizeRule;
import dev.modelbridge.validate.rules.tensor.NanInfRule;
import dev.modelbridge.validate.rules.tensor.NegativeDimRule;
import java.util.List;

/**
 * The tensor rules. {@code tensor.external-data-unsafe} has no rule here: the ONNX reader refuses
 * unsafe external data before any rule runs, and the validator reports it under that id.
 */
public final class TensorRules {
  private TensorRules() {}

  public static List<Rule> all() {
    return List.of(new DataSizeRule(), new NegativeDimRule(), new NanInfRule());
  }
}
