package dev.modelbridge.passes;

import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code Transpose(Transpose(x, p1), p2)} becomes {@code x} when the permutations cancel, else one
 * {@code Transpose(x, p1∘p2)}. The inner Transpose stays while something else reads it.
 */
public final class FoldTransposePairs implements GraphPass {

  @Override
  public String name() {
    return "fold-transpose-pairs";
  }

  @Override
  public Graph apply(Graph graph) {
    Rewrite r = new Rewrite(graph);
    Map<String, String> renames = new HashMap<>();
    List<Node> nodes = new ArrayList<>();
    boolean changed = false;
    for (Node n : graph.nodes()) {
      Optional<Node> inner = Rewrite.isTranspose(n) ? r.transposeOf(n.inputs().get(0)) : Optional.empty();
      if (inner.isEmpty() || renames.containsKey(inner.get().outputs().get(0))) {
        nodes.add(n);
        continue;
      }
      long[] p1 = Rewrite.perm(inner.get()).orElseThrow();
      long[] p2 = Rewrite.perm(n).orElseThrow();
      if (p1.length != p2.length) {
        nodes.add(n);
        continue;
      }
      long[] q = new long[p1.length];
      for (int i = 0; i < q.length; i++) {
        q[i] = p1[(int) p2[i]];
      }
      String x = inner.get().inputs().get(0);
      String out = n.outputs().get(0);
      changed = true;
      if (!Rewrite.isIdentity(q)) {
        nodes.add(Rewrite.transpose(n.name(), x, out, q));
      } else if (r.pinned(out)) {
        // A graph output or a value a nested graph reads keeps its name.
        nodes.add(Node.builder("Identity").name(n.name()).inputs(x).outputs(out).build());
      } else {
        renames.put(out, x);
      }
    }
    if (!changed) {
      return graph;
    }
    List<Node> out = new ArrayList<>(nodes.size());
    for (Node n : nodes) {
      out.add(renames.isEmpty() ? n : new Node(n.name(), n.domain(), n.opType(), n.overload(),
          Rewrite.replaced(n.inputs(), renames), n.outputs(), n.attributes(), n.docString(), n.metadata()));
    }
    return r.with(out, List.of());
  }
}
