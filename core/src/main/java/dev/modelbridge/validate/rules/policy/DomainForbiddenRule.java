package dev.modelbridge.validate.rules.policy;

import dev.modelbridge.ir.OpsetImport;
import dev.modelbridge.validate.Policy;
import dev.modelbridge.validate.RuleContext;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code policy.domain-forbidden}: a node of a domain the policy forbids (or leaves out of its
 * allow list), reported at each node; a model-level import of such a domain that no node uses is
 * reported once. The default domain is {@code ai.onnx}.
 */
public final class DomainForbiddenRule extends PolicyRule {

  public DomainForbiddenRule() {
    super("policy.domain-forbidden", "The model uses or imports an operator domain the policy does not allow.");
  }

  @Override
  public void check(RuleContext context) {
    Policy p = context.policy();
    if (p.allowedDomains().isEmpty() && p.forbiddenDomains().isEmpty()) {
      return;
    }
    Set<String> used = new HashSet<>();
    context.forEachNode((scope, node) -> {
      String d = domainName(node.domain());
      used.add(d);
      why(p, d).ifPresent(why -> context.report(scope.at(node), "op " + opName(node.domain(), node.opType())
          + " is of domain " + d + ", which " + why));
    });
    for (OpsetImport o : context.model().opsetImports()) {
      String d = domainName(o.domain());
      if (!used.contains(d)) {
        why(p, d).ifPresent(why -> context.report(context.fileLocation().inGraph("main")
            .atField("opset import '" + d + "'"), "the model imports domain " + d + ", which " + why));
      }
    }
  }

  private static java.util.Optional<String> why(Policy p, String domain) {
    if (p.forbiddenDomains().contains(domain)) {
      return java.util.Optional.of("the policy forbids");
    }
    if (!p.allowedDomains().isEmpty() && !p.allowedDomains().contains(domain)) {
      return java.util.Optional.of("is not in the policy's allowed domains (" + listing(p.allowedDomains()) + ")");
    }
    return java.util.Optional.empty();
  }
}
