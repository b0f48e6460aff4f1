package dev.modelbridge.validate.rules.ops;

import dev.modelbridge.validate.GraphScope;
import dev.modelbridge.validate.RuleContext;
import dev.modelbridge.validate.Severity;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code op.custom-domain}: ops of a domain with no known schemas and no model-local function, so
 * nothing can check them and a runtime needs a custom implementation. Reported once per op type
 * and graph, at its first node, to keep models full of custom ops readable.
 */
public final class CustomDomainRule extends OperatorRule {
  public CustomDomainRule() {
    super("op.custom-domain", Severity.WARNING,
        "A node's operator belongs to a domain with no known schemas and no model-local function.");
  }

  @Override
  public void check(RuleContext context) {
    Map<String, OpBinding> first = new LinkedHashMap<>();
    Map<String, Integer> count = new LinkedHashMap<>();
    for (OpBinding b : OpBindings.of(context).all()) {
      if (b.kind() == OpBinding.Kind.CUSTOM) {
        String key = b.scope().path() + "\u0000" + b.node().domain() + "\u0000" + b.node().opType();
        first.putIfAbsent(key, b);
        count.merge(key, 1, Integer::sum);
      }
    }
    first.forEach((key, b) -> {
      int n = count.get(key);
      GraphScope s = b.scope();
      context.report(s.at(b.node()), "operator '" + b.node().opType() + "' of domain '" + b.node().domain()
          + "' has no known schema and no model-local function, so it is not checked and needs a runtime"
          + " that provides it" + (n > 1 ? " (" + n + " nodes in this graph)" : ""));
    });
  }

  @Override
  void check(RuleContext context, OpBinding binding) {
    // Reported per op type in check(RuleContext).
  }
}
