package dev.modelbridge.validate.rules.ops;

import dev.modelbridge.schema.OpSchemaRegistry;
import dev.modelbridge.validate.RuleContext;
import dev.modelbridge.validate.Severity;

/** {@code op.unknown}: an op that its (known) domain does not define in any version. */
public final class UnknownOpRule extends OperatorRule {
  public UnknownOpRule() {
    super("op.unknown", Severity.ERROR, "A node's operator is not defined in its domain in any version.");
  }

  @Override
  void check(RuleContext context, OpBinding b) {
    if (b.kind() != OpBinding.Kind.UNKNOWN_OP) {
      return;
    }
    OpSchemaRegistry registry = OpSchemaRegistry.onnx();
    String op = b.node().opType();
    String hint = registry.operators(b.node().domain()).stream()
        .filter(n -> n.equalsIgnoreCase(op)).findFirst()
        .map(n -> " (did you mean '" + n + "'?)").orElse("");
    context.report(b.location(), "operator '" + op + "' is not defined in domain " + b.displayDomain()
        + " in any version up to " + registry.latestVersion(b.node().domain()).orElse(0)
        + hint + "; use a defined operator or a model-local function");
  }
}
