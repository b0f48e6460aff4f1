package dev.modelbridge.validate.rules.ops;

import dev.modelbridge.schema.OpSchema;
import dev.modelbridge.validate.RuleContext;
import dev.modelbridge.validate.Severity;

/**
 * {@code op.not-in-opset}: an op that exists in its domain, but not in the imported version: it
 * appears only later, or the version in force removed it (deprecated).
 */
public final class NotInOpsetRule extends OperatorRule {
  public NotInOpsetRule() {
    super("op.not-in-opset", Severity.ERROR,
        "A node's operator exists, but not in the operator set version the model imports.");
  }

  @Override
  void check(RuleContext context, OpBinding b) {
    long imported = b.importedVersion().orElse(0);
    String op = b.node().opType();
    if (b.kind() == OpBinding.Kind.NOT_YET) {
      OpSchema first = b.schema().orElseThrow();
      context.report(b.location(), op + " first appears in opset " + first.sinceVersion() + " of "
          + b.displayDomain() + ", but the model imports opset " + imported
          + "; import opset " + first.sinceVersion() + " or later");
    } else if (b.kind() == OpBinding.Kind.DEPRECATED) {
      OpSchema removed = b.schema().orElseThrow();
      context.report(b.location(), op + " was removed (deprecated) in opset " + removed.sinceVersion()
          + " of " + b.displayDomain() + ", and the model imports opset " + imported
          + "; import an opset below " + removed.sinceVersion() + " or use its replacement");
    }
  }
}
