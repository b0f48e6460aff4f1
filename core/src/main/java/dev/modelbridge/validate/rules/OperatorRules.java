package dev.modelbridge.validate.rules;

import dev.modelbridge.validate.Rule;
import java.util.List;

/** The operator rules. */
public final class OperatorRules {
  private OperatorRules() {}

  public static List<Rule> all() {
    return List.of();
  }
}
