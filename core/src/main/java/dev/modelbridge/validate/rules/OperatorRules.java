package dev.modelbridge.validate.rules;

import dev.modelbridge.validate.Rule;
import dev.modelbridge.validate.rules.ops.ArityRule;
import dev.modelbridge.validate.rules.ops.AttributeMissingRule;
import dev.modelbridge.validate.rules.ops.AttributeTypeRule;
import dev.modelbridge.validate.rules.ops.AttributeUnknownRule;
import dev.modelbridge.validate.rules.ops.CustomDomainRule;
import dev.modelbridge.validate.rules.ops.NotInOpsetRule;
import dev.modelbridge.validate.rules.ops.TypeConstraintRule;
import dev.modelbridge.validate.rules.ops.UnknownOpRule;
import java.util.List;

/**
 * The operator rules: each node against the schema of its operator in the imported operator set
 * (or the signature of the model-local function it calls). They share one resolution of the
 * nodes, {@link dev.modelbridge.validate.rules.ops.OpBindings}.
 */
public final class OperatorRules {
  private OperatorRules() {}

  public static List<Rule> all() {
    return List.of(
        new UnknownOpRule(),
        new NotInOpsetRule(),
        new CustomDomainRule(),
        new ArityRule(),
        new AttributeUnknownRule(),
        new AttributeTypeRule(),
        new AttributeMissingRule(),
        new TypeConstraintRule());
  }
}
