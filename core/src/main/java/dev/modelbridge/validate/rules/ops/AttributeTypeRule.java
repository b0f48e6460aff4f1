package dev.modelbridge.validate.rules.ops;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.schema.AttributeSpec;
import dev.modelbridge.schema.OpSchema;
import dev.modelbridge.validate.RuleContext;
import dev.modelbridge.validate.Severity;
import java.util.Optional;

/**
 * {@code op.attribute-type}: an attribute whose type is not the one its operator defines. An
 * attribute of a function body that refers to the caller's attribute is checked by its declared
 * kind only.
 */
public final class AttributeTypeRule extends OperatorRule {
  public AttributeTypeRule() {
    super("op.attribute-type", Severity.ERROR, "A node's attribute has another type than its operator defines.");
  }

  @Override
  void check(RuleContext context, OpBinding b) {
    if (b.kind() != OpBinding.Kind.SCHEMA) {
      return;
    }
    OpSchema s = b.schema().orElseThrow();
    for (Attribute a : b.node().attributes()) {
      Optional<AttributeSpec> spec = s.attribute(a.name());
      if (spec.isPresent() && a.kind() != spec.get().kind()) {
        String ref = a instanceof Attribute.RefAttr r ? " (a reference to '" + r.referencedName() + "')" : "";
        context.report(b.location().atField(attributeField(a.name())), "attribute '" + a.name() + "'"
            + ref + " of " + b.node().opType() + " is " + a.kind().label() + "; " + s.label() + " expects "
            + spec.get().kind().label());
      }
    }
  }
}
