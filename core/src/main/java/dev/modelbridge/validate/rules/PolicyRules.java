package dev.modelbridge.validate.rules;

import dev.modelbridge.validate.Rule;
import java.util.List;

/** The policy rules. */
public final class PolicyRules {
  private PolicyRules() {}

  public static List<Rule> all() {
    return List.of();
  }
}
