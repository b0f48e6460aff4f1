package dev.modelbridge.validate.rules.ops;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.Function;
import dev.modelbridge.schema.AttributeSpec;
import dev.modelbridge.schema.OpSchema;
import dev.modelbridge.validate.RuleContext;
import dev.modelbridge.validate.Severity;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code op.attribute-unknown}: an attribute the operator (or the model-local function) does not
 * define. Names starting with {@code __} are ONNX's internal ones and are let through, as ONNX's
 * checker does.
 */
public final class AttributeUnknownRule extends OperatorRule {
  public AttributeUnknownRule() {
    super("op.attribute-unknown", Severity.ERROR, "A node has an attribute its operator does not define.");
  }

  @Override
  void check(RuleContext context, OpBinding b) {
    List<String> known = new ArrayList<>();
    String label;
    if (b.kind() == OpBinding.Kind.SCHEMA) {
      OpSchema s = b.schema().orElseThrow();
      s.attributes().stream().map(AttributeSpec::name).forEach(known::add);
      label = s.label();
    } else if (b.kind() == OpBinding.Kind.FUNCTION) {
      Function f = b.function().orElseThrow();
      known.addAll(f.attributeNames());
      f.attributeDefaults().stream().map(Attribute::name).forEach(known::add);
      label = "model-local function " + f.name();
    } else {
      return;
    }
    for (Attribute a : b.node().attributes()) {
      if (!known.contains(a.name()) && !a.name().startsWith("__")) {
        context.report(b.location().atField(attributeField(a.name())), "attribute '" + a.name()
            + "' is not an attribute of " + label + "; it takes "
            + (known.isEmpty() ? "none" : String.join(", ", known)));
      }
    }
  }
}
