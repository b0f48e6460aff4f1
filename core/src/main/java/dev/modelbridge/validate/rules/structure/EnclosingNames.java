package dev.modelbridge.validate.rules.structure;

import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Node;
import dev.modelbridge.validate.GraphScope;
import dev.modelbridge.validate.RuleContext;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * For each nested graph, every name its enclosing graphs define anywhere, including after the
 * node that holds it. A nested read of such a name is an ordering problem of the enclosing graph
 * ({@code graph.not-topological}), not an undefined name. Shared once per model.
 */
final class EnclosingNames {
  private final Map<Graph, Set<String>> byGraph = new IdentityHashMap<>();

  private EnclosingNames(RuleContext context) {
    for (GraphScope s : context.graphs()) {
      if (s.owner().isEmpty()) {
        walk(s.graph(), Set.of());
      }
    }
  }

  static EnclosingNames of(RuleContext context) {
    return context.shared(EnclosingNames.class, () -> new EnclosingNames(context));
  }

  /** The names defined by the graphs around {@code g}; empty for a top-level graph. */
  Set<String> around(Graph g) {
    return byGraph.getOrDefault(g, Set.of());
  }

  private void walk(Graph g, Set<String> outer) {
    byGraph.put(g, outer);
    Set<String> inner = new HashSet<>(outer);
    inner.addAll(GraphNames.definedIn(g));
    Set<String> frozen = Set.copyOf(inner);
    for (Node n : g.nodes()) {
      for (Graph sub : n.subgraphs()) {
        walk(sub, frozen);
      }
    }
  }
}
