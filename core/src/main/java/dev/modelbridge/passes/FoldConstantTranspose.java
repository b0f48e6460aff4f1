package dev.modelbridge.passes;

import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Transpose of a constant becomes a transposed constant under the Transpose's output name.
 * Transposing copies the constant onto the heap, where a checkpoint's weights are otherwise views
 * of the file; so constants larger than a limit are left alone, and one instance stops folding
 * once it has copied a total budget (a converter that must stay within a small heap keeps working).
 */
public final class FoldConstantTranspose implements GraphPass {
  /** The default limit of one constant: 64 MiB. */
  public static final long DEFAULT_MAX_BYTES = 64L << 20;
  /** The default total an instance copies: 256 MiB. */
  public static final long DEFAULT_BUDGET_BYTES = 256L << 20;

  private final long maxBytes;
  private long budget;

  public FoldConstantTranspose() {
    this(DEFAULT_MAX_BYTES, DEFAULT_BUDGET_BYTES);
  }

  public FoldConstantTranspose(long maxBytes, long budgetBytes) {
    this.maxBytes = maxBytes;
    this.budget = budgetBytes;
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
          || !Rewrite.transposable(c.get(), perm.length, Math.min(maxBytes, budget))) {
        nodes.add(n);
        continue;
      }
      budget -= c.get().data().byteSize();
      added.add(Rewrite.transposed(c.get(), perm, out));
    }
    return added.isEmpty() ? graph : r.with(nodes, added);
  }
}
