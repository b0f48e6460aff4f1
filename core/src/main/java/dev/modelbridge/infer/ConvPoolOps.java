package dev.modelbridge.infer;

import dev.modelbridge.ir.Dim;
import dev.modelbridge.ir.ElementType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Convolutions and pooling: spatial sizes from kernel, strides, dilations, pads and auto_pad. */
final class ConvPoolOps {
  private ConvPoolOps() {}

  static void register(HandlerTable t) {
    t.register("", c -> conv(c, c.elem(0)), "Conv", "DeformConv");
    t.register("", c -> conv(c, Optional.of(ElementType.INT32)), "ConvInteger");
    t.register("", c -> conv(c, c.elem(7)), "QLinearConv");
    t.register("", ConvPoolOps::convTranspose, "ConvTranspose");
    t.register("", ConvPoolOps::pool, "MaxPool", "AveragePool", "LpPool");
    t.register("", ConvPoolOps::globalPool, "GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool");
  }

  private static void conv(NodeContext c, Optional<ElementType> out) {
    int w = c.node().opType().equals("QLinearConv") ? 3 : 1;
    Optional<List<Dim>> x = c.dims(0);
    Optional<List<Dim>> wd = c.dims(w);
    if (x.isEmpty() || x.get().size() < 2) {
      c.output(0, out, Optional.empty());
      return;
    }
    int spatial = x.get().size() - 2;
    long group = c.attrInt("group", 1);
    if (wd.isPresent() && wd.get().size() == x.get().size()
        && x.get().get(1) instanceof Dim.Fixed ch && wd.get().get(1) instanceof Dim.Fixed wc
        && ch.size() != wc.size() * group && !c.node().opType().equals("DeformConv")) {
      c.incompatible(c.inputLabel(w), "input 0 of " + c.node().opType() + " has " + ch.size()
          + " channels but the weights expect " + wc.size() + " x group " + group + " = "
          + wc.size() * group);
    }
    Optional<long[]> kernel = c.attrInts("kernel_shape");
    if (kernel.isEmpty() && wd.isPresent() && wd.get().size() == x.get().size()) {
      kernel = fixed(wd.get().subList(2, wd.get().size()));
    }
    List<Dim> dims = new ArrayList<>();
    dims.add(x.get().get(0));
    dims.add(wd.isPresent() && !wd.get().isEmpty() ? wd.get().get(0) : Dim.unknown());
    dims.addAll(spatialSizes(c, x.get().subList(2, x.get().size()), kernel, spatial, false));
    c.output(0, out, Optional.of(new dev.modelbridge.ir.Shape(dims)));
  }

  private static void pool(NodeContext c) {
    Optional<List<Dim>> x = c.dims(0);
    if (x.isEmpty() || x.get().size() < 2) {
      c.output(0, c.elem(0), Optional.empty());
      c.output(1, ElementType.INT64, Optional.empty());
      return;
    }
    int spatial = x.get().size() - 2;
    List<Dim> dims = new ArrayList<>(x.get().subList(0, 2));
    dims.addAll(spatialSizes(c, x.get().subList(2, x.get().size()), c.attrInts("kernel_shape"), spatial,
        c.attrInt("ceil_mode", 0) == 1));
    c.output(0, c.elem(0), dims);
    c.output(1, ElementType.INT64, dims);
  }

  private static void globalPool(NodeContext c) {
    Optional<List<Dim>> x = c.dims(0);
    if (x.isEmpty() || x.get().size() < 2) {
      c.output(0, c.elem(0), Optional.empty());
      return;
    }
    List<Dim> dims = new ArrayList<>(x.get().subList(0, 2));
    for (int i = 2; i < x.get().size(); i++) {
      dims.add(Dim.of(1));
    }
    c.output(0, c.elem(0), dims);
  }

  /** Output spatial sizes of a convolution or pooling window sliding over {@code in}. */
  private static List<Dim> spatialSizes(NodeContext c, List<Dim> in, Optional<long[]> kernel, int n,
      boolean ceil) {
    long[] strides = c.attrInts("strides").orElse(ones(n));
    long[] dilations = c.attrInts("dilations").orElse(ones(n));
    long[] pads = c.attrInts("pads").orElse(new long[2 * n]);
    String autoPad = c.attrString("auto_pad", "NOTSET");
    List<Dim> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Optional<Long> size = Dims.size(in.get(i));
      if (size.isEmpty()) {
        out.add(Dim.unknown());
        continue;
      }
      long s = size.get();
      if (autoPad.equals("SAME_UPPER") || autoPad.equals("SAME_LOWER")) {
        out.add(Dim.of(ceilDiv(s, strides[i])));
        continue;
      }
      if (kernel.isEmpty()) {
        out.add(Dim.unknown());
        continue;
      }
      long effKernel = (kernel.get()[i] - 1) * dilations[i] + 1;
      long padded = autoPad.equals("VALID") ? s : s + pads[i] + pads[i + n];
      long span = padded - effKernel;
      long steps = ceil ? ceilDiv(span, strides[i]) : Math.floorDiv(span, strides[i]);
      if (ceil && !autoPad.equals("VALID") && steps * strides[i] >= s + pads[i]) {
        steps--; // the last window would start in the end padding: runtimes drop it
      }
      out.add(Dim.of(steps + 1));
    }
    return out;
  }

  private static void convTranspose(NodeContext c) {
    Optional<List<Dim>> x = c.dims(0);
    Optional<List<Dim>> wd = c.dims(1);
    if (x.isEmpty() || x.get().size() < 2) {
      c.output(0, c.elem(0), Optional.empty());
      return;
    }
    int n = x.get().size() - 2;
    long group = c.attrInt("group", 1);
    List<Dim> dims = new ArrayList<>();
    dims.add(x.get().get(0));
    dims.add(wd.isPresent() && wd.get().size() > 1 && wd.get().get(1) instanceof Dim.Fixed f
        ? Dim.of(f.size() * group) : Dim.unknown());
    Optional<long[]> outputShape = c.attrInts("output_shape");
    Optional<long[]> kernel = c.attrInts("kernel_shape");
    if (kernel.isEmpty() && wd.isPresent() && wd.get().size() == x.get().size()) {
      kernel = fixed(wd.get().subList(2, wd.get().size()));
    }
    long[] strides = c.attrInts("strides").orElse(ones(n));
    long[] dilations = c.attrInts("dilations").orElse(ones(n));
    long[] outPad = c.attrInts("output_padding").orElse(new long[n]);
    long[] pads = c.attrInts("pads").orElse(new long[2 * n]);
    String autoPad = c.attrString("auto_pad", "NOTSET");
    for (int i = 0; i < n; i++) {
      Optional<Long> size = Dims.size(x.get().get(i + 2));
      if (outputShape.isPresent()) {
        long[] os = outputShape.get();
        dims.add(Dim.of(os[os.length - n + i]));
      } else if (size.isEmpty() || kernel.isEmpty()) {
        dims.add(Dim.unknown());
      } else if (autoPad.equals("SAME_UPPER") || autoPad.equals("SAME_LOWER")) {
        dims.add(Dim.of(size.get() * strides[i]));
      } else {
        long total = strides[i] * (size.get() - 1) + outPad[i] + (kernel.get()[i] - 1) * dilations[i] + 1;
        dims.add(Dim.of(total - (autoPad.equals("VALID") ? 0 : pads[i] + pads[i + n])));
      }
    }
    c.output(0, c.elem(0), dims);
  }

  private static Optional<long[]> fixed(List<Dim> dims) {
    return new IntData(dims, false).fixed();
  }

  private static long[] ones(int n) {
    long[] a = new long[n];
    java.util.Arrays.fill(a, 1);
    return a;
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
