package dev.modelbridge.passes;

import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives each reader of a shared Transpose its own copy, when every reader is an op that a
 * Transpose can move through ({@link PushTransposeDown}, {@link PushTransposeThroughAxisOps}) or
 * another Transpose: the moves need Transposes read once. A value an NHWC block reads twice (a
 * residual branch, a concatenation) would otherwise keep its Transposes.
 */
public final class SplitSharedTransposes implements GraphPass {
  private static final Set<String> MOVABLE_THROUGH = Set.of("Concat", "Pad", "Transpose");

  @Override
  public String name() {
    return "split-shared-transposes";
  }

  @Override
  public Graph apply(Graph graph) {
    Rewrite r = new Rewrite(graph);
    Map<String, Node> shared = new java.util.HashMap<>();
    for (Node n : graph.nodes()) {
      if (Rewrite.isTranspose(n) && r.uses(n.outputs().get(0)) > 1 && !r.pinned(n.outputs().get(0))) {
        shared.put(n.outputs().get(0), n);
      }
    }
    for (Node n : graph.nodes()) {
      boolean movable = n.domain().isEmpty()
          && (PushTransposeDown.ELEMENTWISE.contains(n.opType()) || MOVABLE_THROUGH.contains(n.opType()));
      if (!movable) {
        n.inputs().forEach(shared::remove);
      }
    }
    if (shared.isEmpty()) {
      return graph;
    }
    List<Node> nodes = new ArrayList<>();
    for (Node n : graph.nodes()) {
      if (Rewrite.isTranspose(n) && shared.containsKey(n.outputs().get(0))) {
        continue; // replaced by one copy in front of each reader
      }
      List<String> inputs = new ArrayList<>(n.inputs());
      for (int i = 0; i < inputs.size(); i++) {
        Node t = shared.get(inputs.get(i));
        if (t != null) {
          String copy = r.fresh(inputs.get(i) + "/copy");
          nodes.add(Rewrite.transpose(r.fresh(t.name() + "/copy"), t.inputs().get(0), copy, Rewrite.perm(t).orElseThrow()));
          inputs.set(i, copy);
        }
      }
      nodes.add(inputs.equals(n.inputs()) ? n : new Node(n.name(), n.domain(), n.opType(), n.overload(), inputs,
          n.outputs(), n.attributes(), n.docString(), n.metadata()));
    }
    return r.with(nodes, List.of());
  }
}
