package dev.modelbridge.validate.rules;

import dev.modelbridge.validate.Rule;
import java.util.List;

/** The hygiene rules. */
public final class HygieneRules {
  private HygieneRules() {}

  public static List<Rule> all() {
    return List.of();
  }
}
