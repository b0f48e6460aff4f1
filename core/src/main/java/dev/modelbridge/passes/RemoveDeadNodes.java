package dev.modelbridge.passes;

import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes nodes none of whose outputs is read (by a node, a nested graph or as a graph output),
 * and initializers nothing reads and no graph input declares. Nodes without outputs stay.
 */
public final class RemoveDeadNodes implements GraphPass {

  @Override
  public String name() {
    return "remove-dead-nodes";
  }

  @Override
  public Graph apply(Graph graph) {
    Graph g = graph;
    for (boolean changed = true; changed; ) {
      changed = false;
      Rewrite r = new Rewrite(g);
      List<Node> kept = new ArrayList<>();
      for (Node n : g.nodes()) {
        boolean live = n.outputs().isEmpty()
            || n.outputs().stream().anyMatch(o -> !o.isEmpty() && (r.uses(o) > 0 || r.pinned(o)));
        if (live) {
          kept.add(n);
        } else {
          changed = true;
        }
      }
      List<String> declared = g.inputs().stream().map(v -> v.name()).toList();
      List<Tensor> inits = new ArrayList<>();
      for (Tensor t : g.initializers()) {
        if (r.uses(t.name()) > 0 || r.pinned(t.name()) || declared.contains(t.name())) {
          inits.add(t);
        } else {
          changed = true;
        }
      }
      if (changed) {
        g = g.toBuilder().clearNodes().nodes(kept).clearInitializers().build();
        Graph.Builder b = g.toBuilder();
        inits.forEach(b::initializer);
        g = b.build();
      }
    }
    return g;
  }
}
