package dev.modelbridge.validate.rules.hygiene;

import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.ValueInfo;
import dev.modelbridge.validate.GraphScope;
import dev.modelbridge.validate.Rule;
import dev.modelbridge.validate.RuleContext;
import dev.modelbridge.validate.Severity;
import dev.modelbridge.validate.rules.structure.GraphNames;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code hygiene.dead-node}: a node none of whose outputs reaches an output of its graph, directly
 * or through other nodes (reads by nested graphs count). Found by walking back from the graph
 * outputs, so the node order does not matter.
 */
public final class DeadNodeRule implements Rule {

  @Override
  public String id() {
    return "hygiene.dead-node";
  }

  @Override
  public Severity defaultSeverity() {
    return Severity.WARNING;
  }

  @Override
  public String summary() {
    return "A node's outputs never reach a graph output.";
  }

  @Override
  public void check(RuleContext context) {
    for (GraphScope scope : context.graphs()) {
      List<Node> nodes = scope.graph().nodes();
      Map<String, Integer> producer = new HashMap<>();
      for (int n = 0; n < nodes.size(); n++) {
        for (String out : nodes.get(n).outputs()) {
          if (!out.isEmpty()) {
            producer.putIfAbsent(out, n);
          }
        }
      }
      boolean[] live = new boolean[nodes.size()];
      Deque<String> work = new ArrayDeque<>();
      scope.graph().outputs().stream().map(ValueInfo::name).forEach(work::add);
      while (!work.isEmpty()) {
        Integer p = producer.get(work.pop());
        if (p != null && !live[p]) {
          live[p] = true;
          work.addAll(nodes.get(p).inputs());
          work.addAll(GraphNames.outerReads(nodes.get(p)));
        }
      }
      for (int n = 0; n < nodes.size(); n++) {
        if (!live[n]) {
          Node node = nodes.get(n);
          context.report(scope.at(node), "no output of " + node.opType() + " reaches an output of the graph;"
              + " the node can be removed");
        }
      }
    }
  }
}
