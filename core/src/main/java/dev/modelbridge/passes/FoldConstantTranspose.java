package dev.modelbridge.passes;

import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Transpose of a constant becomes a transposed constant under the Transpose's output name.
 * Constants larger than a limit are left alone: transposing one copies it onto the heap, where a
 * checkpoint's weights are otherwise views of the file.
 */
public final class FoldConstantTranspose implements GraphPass {
  /** The default limit: 64 MiB. */
  public static final long DEFAULT_MAX_BYTES = 64L << 20;

  private final long maxBytes;

  public FoldConstantTranspose() {
    this(DEFAULT_MAX_BYTES);
  }

  public FoldConstantTranspose(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public String name() {
    return "fold-constant-transpose";
  }

  @Override
  public Graph apply(Graph graph) {
    Rewrite r = new Rewrite(graph);
    List<Node> nodes = new ArrayList<>();
    List<Tensor> added = new ArrayList<>();
    for (Node n : graph.nodes()) {
      Optional<Tensor> c = Rewrite.isTranspose(n) ? r.constant(n.inputs().get(0)) : Optional.empty();
      String out = n.outputs().isEmpty() ? "" : n.outputs().get(0);
      long[] perm = Rewrite.perm(n).orElse(null);
      if (c.isEmpty() || r.pinned(out) || c.get().rank() != perm.length
          || !Rewrite.transposable(c.get(), perm.length, maxBytes)) {
        nodes.add(n);
        continue;
      }
      added.add(Rewrite.transposed(c.get(), perm, out));
    }
    return added.isEmpty() ? graph : r.with(nodes, added);
  }
}
