package dev.modelbridge.infer;

import dev.modelbridge.ir.Dim;
import dev.modelbridge.ir.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Pad, Resize, Upsample and CenterCropPad: new spatial sizes from constant pads, scales or sizes. */
final class PadResize {
  private PadResize() {}

  static void register(HandlerTable t) {
    t.register("", PadResize::pad, "Pad");
    t.register("", PadResize::resize, "Resize", "Upsample");
    t.register("", PadResize::centerCropPad, "CenterCropPad");
  }

  private static void pad(NodeContext c) {
    Optional<List<Dim>> in = c.dims(0);
    if (in.isEmpty()) {
      c.output(0, c.elem(0), Optional.empty());
      return;
    }
    int r = in.get().size();
    Optional<long[]> pads = c.opset() >= 11 ? c.longs(1)
        : c.attrInts(c.opset() < 2 ? "paddings" : "pads");
    Optional<long[]> axes = c.opset() >= 18 && c.hasInput(3) ? c.longs(3) : Optional.of(range(r));
    if (pads.isEmpty() || axes.isEmpty() || pads.get().length != 2 * axes.get().length) {
      c.output(0, c.elem(0), Dims.unknowns(r));
      return;
    }
    List<Dim> out = new ArrayList<>(in.get());
    int n = axes.get().length;
    for (int k = 0; k < n; k++) {
      int a = Dims.axis(axes.get()[k], r);
      long add = pads.get()[k] + pads.get()[k + n];
      out.set(a, add == 0 ? in.get().get(a) : Dims.apply(in.get().get(a), Dim.of(add), Math::addExact));
    }
    c.output(0, c.elem(0), out);
  }

  private static void resize(NodeContext c) {
    Optional<List<Dim>> in = c.dims(0);
    if (in.isEmpty()) {
      c.output(0, c.elem(0), Optional.empty());
      return;
    }
    int r = in.get().size();
    boolean upsample = c.node().opType().equals("Upsample");
    Optional<long[]> sizes = Optional.empty();
    Optional<double[]> scales;
    if (upsample) {
      scales = c.opset() >= 9 ? c.doubles(1) : c.attrFloats("scales").map(PadResize::toDoubles);
    } else if (c.opset() < 11) {
      scales = c.doubles(1);
    } else {
      scales = c.hasInput(2) ? c.doubles(2) : Optional.empty();
      sizes = c.hasInput(3) ? c.longs(3) : Optional.empty();
    }
    long[] axes = c.attrInts("axes").orElse(range(r));
    List<Dim> out = new ArrayList<>(in.get());
    if (sizes.isPresent() && sizes.get().length == axes.length) {
      for (int k = 0; k < axes.length; k++) {
        out.set(Dims.axis(axes[k], r), Dim.of(sizes.get()[k]));
      }
      boolean keep = !c.attrString("keep_aspect_ratio_policy", "stretch").equals("stretch");
      c.output(0, c.elem(0), keep ? Dims.unknowns(r) : out);
    } else if (scales.isPresent() && scales.get().length == axes.length && !sizes.isPresent()) {
      for (int k = 0; k < axes.length; k++) {
        int a = Dims.axis(axes[k], r);
        double s = scales.get()[k];
        out.set(a, s == 1.0 ? in.get().get(a) : Dims.size(in.get().get(a))
            .map(v -> Dim.of((long) Math.floor(v * s))).orElse(Dim.unknown()));
      }
      c.output(0, c.elem(0), out);
    } else {
      c.output(0, c.elem(0), Dims.unknowns(r));
    }
  }

  private static void centerCropPad(NodeContext c) {
    Optional<List<Dim>> in = c.dims(0);
    Optional<long[]> shape = c.longs(1);
    if (in.isEmpty() || shape.isEmpty()) {
      c.output(0, c.elem(0), in.map(d -> new Shape(Dims.unknowns(d.size()))));
      return;
    }
    int r = in.get().size();
    long[] axes = c.attrInts("axes").orElse(range(r));
    List<Dim> out = new ArrayList<>(in.get());
    for (int k = 0; k < axes.length && k < shape.get().length; k++) {
      out.set(Dims.axis(axes[k], r), Dim.of(shape.get()[k]));
    }
    c.output(0, c.elem(0), out);
  }

  static long[] range(int n) {
    long[] a = new long[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    return a;
  }

  private static double[] toDoubles(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }
}
