package dev.modelbridge.validate.rules;

import dev.modelbridge.validate.Rule;
import dev.modelbridge.validate.rules.policy.DomainForbiddenRule;
import dev.modelbridge.validate.rules.policy.MetadataMissingRule;
import dev.modelbridge.validate.rules.policy.ModelSizeRule;
import dev.modelbridge.validate.rules.policy.OpForbiddenRule;
import dev.modelbridge.validate.rules.policy.OpsetRangeRule;
import java.util.List;

/** The policy rules: they find nothing unless the {@link dev.modelbridge.validate.Policy} sets limits. */
public final class PolicyRules {
  private PolicyRules() {}

  public static List<Rule> all() {
    return List.of(
        new OpsetRangeRule(),
        new OpForbiddenRule(),
        new DomainForbiddenRule(),
        new ModelSizeRule(),
        new MetadataMissingRule());
  }
}
