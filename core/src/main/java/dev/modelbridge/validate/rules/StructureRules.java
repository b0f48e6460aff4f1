package dev.modelbridge.validate.rules;

import dev.modelbridge.validate.Rule;
import java.util.List;

/** The structure rules. */
public final class StructureRules {
  private StructureRules() {}

  public static List<Rule> all() {
    return List.of();
  }
}
