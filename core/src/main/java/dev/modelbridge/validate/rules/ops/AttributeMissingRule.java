package dev.modelbridge.validate.rules.ops;

import dev.modelbridge.schema.AttributeSpec;
import dev.modelbridge.schema.OpSchema;
import dev.modelbridge.validate.RuleContext;
import dev.modelbridge.validate.Severity;

/**
 * {@code op.attribute-missing}: a required attribute that a node leaves out. Model-local
 * functions have no required attributes (a caller may leave any out).
 */
public final class AttributeMissingRule extends OperatorRule {
  public AttributeMissingRule() {
    super("op.attribute-missing", Severity.ERROR, "A node lacks an attribute its operator requires.");
  }

  @Override
  void check(RuleContext context, OpBinding b) {
    if (b.kind() != OpBinding.Kind.SCHEMA) {
      return;
    }
    OpSchema s = b.schema().orElseThrow();
    for (AttributeSpec spec : s.attributes()) {
      if (spec.required() && b.node().attribute(spec.name()).isEmpty()) {
        context.report(b.location().atField(attributeField(spec.name())), b.node().opType()
            + " lacks attribute '" + spec.name() + "', which " + s.label() + " requires (a "
            + spec.kind().label() + ")");
      }
    }
  }
}
