package dev.modelbridge.validate.rules.ops;

import dev.modelbridge.schema.OpSchema;
import dev.modelbridge.schema.OpSchemaRegistry;
import dev.modelbridge.validate.RuleContext;
import dev.modelbridge.validate.Severity;
import java.util.Optional;

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
      // Some operators come back in a fixed version (GroupNormalization-18 is deprecated, -21 is not).
      Optional<OpSchema> later = OpSchemaRegistry.onnx().versions(b.node().domain(), op).stream()
          .filter(s -> s.sinceVersion() > removed.sinceVersion() && !s.deprecated()).findFirst();
      String fix = later.map(s -> "import opset " + s.sinceVersion() + " or later, where " + s.label() + " defines it")
          .orElse(removed.sinceVersion() > 1 ? "import an opset below " + removed.sinceVersion()
              + " or use its replacement" : "use its replacement");
      context.report(b.location(), op + " is deprecated from opset " + removed.sinceVersion()
          + " of " + b.displayDomain() + ", and the model imports opset " + imported + "; " + fix);
    }
  }
}
