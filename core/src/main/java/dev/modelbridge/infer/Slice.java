package dev.modelbridge.infer;

import dev.modelbridge.ir.Dim;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Slice: attributes before opset 10, inputs (starts, ends, axes, steps) from 10 on. */
final class Slice {
  private Slice() {}

  static void infer(NodeContext c) {
    Optional<List<Dim>> in = c.dims(0);
    if (in.isEmpty()) {
      c.output(0, c.elem(0), java.util.Optional.empty());
      return;
    }
    int r = in.get().size();
    boolean inputs = c.opset() >= 10;
    Optional<long[]> starts = inputs ? c.longs(1) : c.attrInts("starts");
    Optional<long[]> ends = inputs ? c.longs(2) : c.attrInts("ends");
    Optional<long[]> axes = inputs ? (c.hasInput(3) ? c.longs(3) : Optional.empty()) : c.attrInts("axes");
    Optional<long[]> steps = inputs && c.hasInput(4) ? c.longs(4) : Optional.empty();
    boolean axesUnknown = inputs && c.hasInput(3) && axes.isEmpty();
    boolean stepsUnknown = inputs && c.hasInput(4) && steps.isEmpty();
    if (starts.isEmpty() || ends.isEmpty() || axesUnknown || stepsUnknown) {
      // Which dims change is unknown when axes are; else only the sliced axes are unknown.
      List<Dim> out = new ArrayList<>(in.get());
      if (axes.isPresent() && !axesUnknown) {
        for (long a : axes.get()) {
          out.set(Dims.axis(a, r), Dim.unknown());
        }
      } else {
        int n = starts.map(s -> s.length).orElse(-1);
        for (int i = 0; i < r; i++) {
          if (n < 0 || i < n) {
            out.set(i, Dim.unknown());
          }
        }
      }
      c.output(0, c.elem(0), out);
      return;
    }
    int n = starts.get().length;
    long[] ax = axes.orElse(PadResize.range(n));
    long[] st = steps.orElse(ones(n));
    List<Dim> out = new ArrayList<>(in.get());
    for (int k = 0; k < n; k++) {
      int a = Dims.axis(ax[k], r);
      out.set(a, length(in.get().get(a), starts.get()[k], ends.get()[k], st[k]));
    }
    c.output(0, c.elem(0), out);
    // Slicing known shape data (Shape -> Slice -> Concat).
    Optional<IntData> data = c.ints(0);
    if (data.isPresent() && r == 1 && n == 1 && out.get(0) instanceof Dim.Fixed) {
      int size = data.get().size();
      long s = clampStart(starts.get()[0], size, st[0]);
      long len = ((Dim.Fixed) out.get(0)).size();
      List<Dim> picked = new ArrayList<>();
      for (long i = 0; i < len; i++) {
        picked.add(data.get().values().get((int) (s + i * st[0])));
      }
      c.outputData(0, new IntData(picked, false));
    }
  }

  private static Dim length(Dim d, long start, long end, long step) {
    if (!(d instanceof Dim.Fixed f)) {
      boolean whole = step == 1 && start == 0 && end >= Integer.MAX_VALUE;
      return whole ? d : Dim.unknown();
    }
    long n = f.size();
    long s = clampStart(start, n, step);
    long e = end < 0 ? end + n : end;
    if (step > 0) {
      e = Math.max(0, Math.min(e, n));
      return Dim.of(Math.max(0, -Math.floorDiv(-(e - s), step)));
    }
    e = Math.max(-1, Math.min(e, n - 1));
    return Dim.of(Math.max(0, -Math.floorDiv(-(s - e), -step)));
  }

  private static long clampStart(long start, long n, long step) {
    long s = start < 0 ? start + n : start;
    return step > 0 ? Math.max(0, Math.min(s, n)) : Math.max(0, Math.min(s, n - 1));
  }

  private static long[] ones(int n) {
    long[] a = new long[n];
    java.util.Arrays.fill(a, 1);
    return a;
  }
}
