package dev.modelbridge.validate.rules.policy;

import dev.modelbridge.ir.Node;
import dev.modelbridge.validate.Policy;
import dev.modelbridge.validate.RuleContext;

/**
 * {@code policy.op-forbidden}: a node uses an op the policy forbids, or one missing from its
 * allow list when it has one. Ops are named {@code Conv} in the default domain and
 * {@code domain:Op} elsewhere. Calls of model-local functions are exempt from the allow list:
 * the ops inside the function body are checked instead.
 */
public final class OpForbiddenRule extends PolicyRule {

  public OpForbiddenRule() {
    super("policy.op-forbidden", "A node uses an op the policy forbids or does not list as allowed.");
  }

  @Override
  public void check(RuleContext context) {
    Policy p = context.policy();
    if (p.allowedOps().isEmpty() && p.forbiddenOps().isEmpty()) {
      return;
    }
    context.forEachNode((scope, node) -> {
      String op = opName(node.domain(), node.opType());
      if (p.forbiddenOps().contains(op)) {
        context.report(scope.at(node), "op " + op + " is forbidden by the policy");
      } else if (!p.allowedOps().isEmpty() && !p.allowedOps().contains(op) && !callsLocalFunction(context, node)) {
        context.report(scope.at(node), "op " + op + " is not in the policy's list of allowed ops ("
            + listing(p.allowedOps()) + ")");
      }
    });
  }

  private static boolean callsLocalFunction(RuleContext context, Node node) {
    return context.model().function(node.domain(), node.opType()).isPresent();
  }
}
