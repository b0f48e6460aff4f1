package dev.modelbridge.validate.rules.hygiene;

import dev.modelbridge.ir.Node;
import dev.modelbridge.validate.GraphScope;
import dev.modelbridge.validate.Rule;
import dev.modelbridge.validate.RuleContext;
import dev.modelbridge.validate.Severity;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code hygiene.duplicate-node-name}: two nodes of one graph share a name, which makes messages,
 * profiles and tools that address nodes by name ambiguous. Unnamed nodes are fine.
 */
public final class DuplicateNodeNameRule implements Rule {

  @Override
  public String id() {
    return "hygiene.duplicate-node-name";
  }

  @Override
  public Severity defaultSeverity() {
    return Severity.WARNING;
  }

  @Override
  public String summary() {
    return "Two nodes of one graph have the same name.";
  }

  @Override
  public void check(RuleContext context) {
    for (GraphScope scope : context.graphs()) {
      Map<String, Integer> first = new HashMap<>();
      List<Node> nodes = scope.graph().nodes();
      for (int n = 0; n < nodes.size(); n++) {
        Node node = nodes.get(n);
        if (node.name().isEmpty()) {
          continue;
        }
        Integer earlier = first.putIfAbsent(node.name(), n);
        if (earlier != null) {
          context.report(scope.at(node).atField("name"), "node #" + n + " has the name '" + node.name()
              + "' of node #" + earlier + " (" + nodes.get(earlier).opType() + "); node names should be unique");
        }
      }
    }
  }
}
