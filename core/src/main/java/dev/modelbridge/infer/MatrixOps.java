package dev.modelbridge.infer;

import dev.modelbridge.ir.Dim;
import dev.modelbridge.ir.ElementType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Matrix products: MatMul (batched, numpy semantics), Gemm, Einsum, Det. */
final class MatrixOps {
  private MatrixOps() {}

  static void register(HandlerTable t) {
    t.register("", c -> matmul(c, 0, 1, c.elem(0), true), "MatMul");
    t.register("", c -> matmul(c, 0, 1, Optional.of(ElementType.INT32), false), "MatMulInteger");
    t.register("", c -> matmul(c, 0, 3, c.elem(7), false), "QLinearMatMul");
    t.register("", MatrixOps::gemm, "Gemm");
    t.register("", Einsum::infer, "Einsum");
    t.register("", MatrixOps::det, "Det");
  }

  private static void matmul(NodeContext c, int a, int b, Optional<ElementType> out, boolean sameType) {
    if (sameType) {
      BroadcastOps.sameElementType(c, 0, 2);
    }
    Optional<List<Dim>> x = c.dims(a);
    Optional<List<Dim>> y = c.dims(b);
    if (x.isEmpty() || y.isEmpty() || x.get().isEmpty() || y.get().isEmpty()) {
      c.output(0, out, Optional.empty());
      return;
    }
    List<Dim> l = new ArrayList<>(x.get());
    List<Dim> r = new ArrayList<>(y.get());
    boolean vecL = l.size() == 1;
    boolean vecR = r.size() == 1;
    if (vecL) {
      l.add(0, Dim.of(1));
    }
    if (vecR) {
      r.add(Dim.of(1));
    }
    Dim k1 = l.get(l.size() - 1);
    Dim k2 = r.get(r.size() - 2);
    if (Types.differ(k1, k2)) {
      c.incompatible(c.inputLabel(b), c.node().opType() + " cannot multiply " + c.shape(a).get() + " by "
          + c.shape(b).get() + ": the inner dimensions " + k1 + " and " + k2 + " differ");
      c.output(0, out, Optional.empty());
      return;
    }
    int[] conflict = new int[1];
    Optional<List<Dim>> batch = Dims.broadcast(
        List.of(l.subList(0, l.size() - 2), r.subList(0, r.size() - 2)), conflict);
    if (batch.isEmpty()) {
      c.incompatible(c.inputLabel(b), "the batch dimensions of " + c.node().opType() + " inputs "
          + c.shape(a).get() + " and " + c.shape(b).get() + " cannot broadcast");
      c.output(0, out, Optional.empty());
      return;
    }
    List<Dim> dims = new ArrayList<>(batch.get());
    if (!vecL) {
      dims.add(l.get(l.size() - 2));
    }
    if (!vecR) {
      dims.add(r.get(r.size() - 1));
    }
    c.output(0, out, dims);
  }

  private static void gemm(NodeContext c) {
    BroadcastOps.sameElementType(c, 0, 2);
    Optional<List<Dim>> a = c.dims(0);
    Optional<List<Dim>> b = c.dims(1);
    if (a.isEmpty() || b.isEmpty() || a.get().size() != 2 || b.get().size() != 2) {
      c.output(0, c.elem(0), Optional.empty());
      return;
    }
    boolean ta = c.attrInt("transA", 0) != 0;
    boolean tb = c.attrInt("transB", 0) != 0;
    Dim m = a.get().get(ta ? 1 : 0);
    Dim k1 = a.get().get(ta ? 0 : 1);
    Dim k2 = b.get().get(tb ? 1 : 0);
    Dim n = b.get().get(tb ? 0 : 1);
    if (Types.differ(k1, k2)) {
      c.incompatible(c.inputLabel(1), "Gemm cannot multiply A " + c.shape(0).get() + (ta ? " (transposed)" : "")
          + " by B " + c.shape(1).get() + (tb ? " (transposed)" : "") + ": the inner dimensions " + k1
          + " and " + k2 + " differ");
    }
    c.output(0, c.elem(0), List.of(m, n));
  }

  private static void det(NodeContext c) {
    Optional<List<Dim>> x = c.dims(0);
    c.output(0, c.elem(0), x.filter(d -> d.size() >= 2)
        .map(d -> new dev.modelbridge.ir.Shape(d.subList(0, d.size() - 2))));
  }
}
