package dev.modelbridge.validate.rules;

import dev.modelbridge.validate.Rule;
import java.util.List;

/** The tensor rules. */
public final class TensorRules {
  private TensorRules() {}

  public static List<Rule> all() {
    return List.of();
  }
}
