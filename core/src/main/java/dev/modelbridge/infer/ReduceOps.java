package dev.modelbridge.infer;

import dev.modelbridge.ir.Dim;
import dev.modelbridge.ir.ElementType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reductions (axes as an attribute or, from ReduceSum-13 and the others' opset 18, an input) and ArgMax/ArgMin. */
final class ReduceOps {
  private ReduceOps() {}

  static void register(HandlerTable t) {
    t.register("", c -> reduce(c, 13), "ReduceSum");
    t.register("", c -> reduce(c, 18), "ReduceMax", "ReduceMin", "ReduceMean", "ReduceProd", "ReduceL1",
        "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare");
    t.register("", ReduceOps::argReduce, "ArgMax", "ArgMin");
  }

  private static void reduce(NodeContext c, long axesInputSince) {
    Optional<List<Dim>> in = c.dims(0);
    boolean keep = c.attrInt("keepdims", 1) == 1;
    Optional<long[]> axes = ShapeOps.axes(c, axesInputSince);
    if (in.isEmpty() || axes.isEmpty()) {
      c.output(0, c.elem(0), keep && in.isPresent()
          ? Optional.of(new dev.modelbridge.ir.Shape(Dims.unknowns(in.get().size()))) : Optional.empty());
      return;
    }
    int r = in.get().size();
    boolean[] reduced = new boolean[r];
    if (axes.get().length == 0) {
      boolean noop = c.attrInt("noop_with_empty_axes", 0) == 1 && c.opset() >= axesInputSince;
      if (noop) {
        c.output(0, c.elem(0), in.get());
        return;
      }
      java.util.Arrays.fill(reduced, true);
    }
    for (long a : axes.get()) {
      reduced[Dims.axis(a, r)] = true;
    }
    List<Dim> out = new ArrayList<>();
    for (int i = 0; i < r; i++) {
      if (!reduced[i]) {
        out.add(in.get().get(i));
      } else if (keep) {
        out.add(Dim.of(1));
      }
    }
    c.output(0, c.elem(0), out);
  }

  private static void argReduce(NodeContext c) {
    Optional<List<Dim>> in = c.dims(0);
    if (in.isEmpty()) {
      c.output(0, ElementType.INT64, Optional.empty());
      return;
    }
    int r = in.get().size();
    int axis = Dims.axis(c.attrInt("axis", 0), r);
    List<Dim> out = new ArrayList<>(in.get());
    if (c.attrInt("keepdims", 1) == 1) {
      out.set(axis, Dim.of(1));
    } else {
      out.remove(axis);
    }
    c.output(0, ElementType.INT64, out);
  }
}
