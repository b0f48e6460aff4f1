package dev.modelbridge.validate.rules;

import dev.modelbridge.validate.Rule;
import dev.modelbridge.validate.rules.infer.DeclaredMismatchRule;
import dev.modelbridge.validate.rules.infer.IncompatibleTypesRule;
import java.util.List;

/**
 * The inference rules: type and shape inference ({@link dev.modelbridge.infer.ModelInference},
 * computed once per model) finding inputs that cannot go together, and declarations it contradicts.
 */
public final class InferenceRules {
  private InferenceRules() {}

  public static List<Rule> all() {
    return List.of(new IncompatibleTypesRule(), DeclaredMismatchRule.elementType(), DeclaredMismatchRule.shape());
  }
}
