package dev.modelbridge.validate.rules;

import dev.modelbridge.validate.Rule;
import dev.modelbridge.validate.rules.hygiene.DeadNodeRule;
import dev.modelbridge.validate.rules.hygiene.DuplicateNodeNameRule;
import dev.modelbridge.validate.rules.hygiene.UnusedInitializerRule;
import dev.modelbridge.validate.rules.hygiene.UnusedInputRule;
import java.util.List;

/** The hygiene rules: warnings about parts of a model that do nothing or confuse tools. */
public final class HygieneRules {
  private HygieneRules() {}

  public static List<Rule> all() {
    return List.of(
        new UnusedInitializerRule(), new DeadNodeRule(), new UnusedInputRule(), new DuplicateNodeNameRule());
  }
}
