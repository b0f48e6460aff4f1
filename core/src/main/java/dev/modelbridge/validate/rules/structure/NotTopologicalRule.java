package dev.modelbridge.validate.rules.structure;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Node;
import dev.modelbridge.validate.GraphScope;
import dev.modelbridge.validate.Rule;
import dev.modelbridge.validate.RuleContext;
import dev.modelbridge.validate.Severity;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code graph.not-topological}: a node reads, directly or from one of its nested graphs, a value
 * produced by itself or by a later node of the same graph. ONNX requires nodes in topological
 * order, so a reader that runs nodes in file order would find the value missing.
 */
public final class NotTopologicalRule implements Rule {

  @Override
  public String id() {
    return "graph.not-topological";
  }

  @Override
  public Severity defaultSeverity() {
    return Severity.ERROR;
  }

  @Override
  public String summary() {
    return "A node reads a value that a later node of the same graph produces (nodes must be in"
        + " topological order).";
  }

  @Override
  public void check(RuleContext context) {
    for (GraphScope scope : context.graphs()) {
      List<Node> nodes = scope.graph().nodes();
      // A name also defined before any node (input, initializer, outer value) is readable from the
      // start; redefining it is graph.duplicate-definition's concern.
      Set<String> early = new HashSet<>(scope.outerValues());
      scope.graph().inputs().forEach(v -> early.add(v.name()));
      scope.graph().initializers().forEach(t -> early.add(t.name()));
      scope.graph().sparseInitializers().forEach(t -> early.add(t.name()));
      Map<String, Integer> producer = new HashMap<>();
      for (int n = 0; n < nodes.size(); n++) {
        for (String out : nodes.get(n).outputs()) {
          if (!out.isEmpty() && !early.contains(out)) {
            producer.putIfAbsent(out, n);
          }
        }
      }
      for (int n = 0; n < nodes.size(); n++) {
        Node node = nodes.get(n);
        List<String> ins = node.inputs();
        for (int i = 0; i < ins.size(); i++) {
          Integer p = producer.get(ins.get(i));
          if (p != null && p >= n) {
            context.report(scope.at(node).atField(GraphNames.field("input", i, ins.get(i))),
                message(node, "input " + i, ins.get(i), p == n ? null : nodes.get(p), p));
          }
        }
        for (Attribute a : node.attributes()) {
          for (Graph sub : subgraphs(a)) {
            for (String read : GraphNames.outerReads(sub)) {
              Integer p = producer.get(read);
              if (p != null && p >= n) {
                context.report(scope.at(node).atField("attribute '" + a.name() + "'"),
                    message(node, "the nested graph of attribute '" + a.name() + "'", read,
                        p == n ? null : nodes.get(p), p));
              }
            }
          }
        }
      }
    }
  }

  private static String message(Node reader, String what, String value, Node later, int laterIndex) {
    if (later == null) {
      return what + " of " + reader.opType() + " reads '" + value + "', which the node produces itself;"
          + " a value must be produced before it is read";
    }
    return what + " of " + reader.opType() + " reads '" + value + "', which node " + later.label()
        + " (#" + laterIndex + ") produces later; nodes must be in topological order";
  }

  private static List<Graph> subgraphs(Attribute a) {
    if (a instanceof Attribute.GraphAttr g) {
      return List.of(g.value());
    }
    if (a instanceof Attribute.GraphsAttr gs) {
      return gs.values();
    }
    return List.of();
  }
}
