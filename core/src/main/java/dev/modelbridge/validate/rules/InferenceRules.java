package dev.modelbridge.validate.rules;

import dev.modelbridge.validate.Rule;
import java.util.List;

/** The inference rules. */
public final class InferenceRules {
  private InferenceRules() {}

  public static List<Rule> all() {
    return List.of();
  }
}
