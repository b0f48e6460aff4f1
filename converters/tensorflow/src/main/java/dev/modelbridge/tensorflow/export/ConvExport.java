package dev.modelbridge.tensorflow.export;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.proto.DataType;

/**
 * Conv, 1-D and 2-D, with groups. TensorFlow's CPU kernels convolve NHWC only: the input is
 * transposed from NCHW and back; the OIHW kernel becomes HWIO, stored so when it is a weight only
 * convolutions read (see {@link KernelVariables}), else through a Transpose.
 */
final class ConvExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("Conv", 1, ConvExport::conv);
  }

  private static void conv(ExportContext c) throws OpExportException {
    int rank = c.requireRank(0);
    if (rank != 3 && rank != 4) {
      throw new OpExportException("only 1-D and 2-D convolutions are converted, not rank " + rank);
    }
    boolean oneD = rank == 3;
    Spatial s = Spatial.of(c, rank - 2, oneD);
    TfRef x = c.input(0);
    if (oneD) {
      // A 1-D convolution is a 2-D one over a height of 1.
      x = MatrixExport.expandDims(c, x, 2);
    }
    long[] wDims = c.dims(1).orElseThrow(() -> new OpExportException("the kernel's shape is not known"));
    long outChannels = wDims[0];
    long inPerGroup = wDims[1];
    long kh = oneD ? 1 : wDims[2];
    long kw = oneD ? wDims[2] : wDims[3];
    long group = c.attrInt("group", 1);
    // OIHW to HWIO ([O, I, k] to [k, I, O] for 1-D, viewed as [1, k, I, O]).
    long[] toHwio = oneD ? new long[] {2, 1, 0} : new long[] {2, 3, 1, 0};
    TfRef nhwc = c.transpose(x, 0, 2, 3, 1);
    TfRef y;
    if (group == 1) {
      y = conv2d(c, "Conv2D", nhwc, c.kernel(1, toHwio, new long[] {kh, kw, inPerGroup, outChannels}), s);
    } else if (inPerGroup == 1 && s.dilations[1] == 1 && s.dilations[2] == 1 && outChannels > 0) {
      // Depthwise: HWIO [kh, kw, 1, C*m] is [kh, kw, C, m] in the same order.
      TfRef dw = c.kernel(1, toHwio, new long[] {kh, kw, group, outChannels / group});
      y = conv2d(c, "DepthwiseConv2dNative", nhwc, dw, s);
    } else {
      y = grouped(c, nhwc, c.kernel(1, toHwio, new long[] {kh, kw, inPerGroup, outChannels}), group, s);
    }
    if (c.hasInput(2)) {
      y = c.g().op("BiasAdd", c.hint() + "/BiasAdd").input(y).input(c.input(2)).attr("T", y.dtype())
          .attr("data_format", "NHWC").output(y.dtype());
    }
    y = c.transpose(y, 0, 3, 1, 2);
    c.bind(0, oneD ? MatrixExport.squeeze(c, y, 2) : y);
  }

  /** A grouped convolution as one Conv2D per group on split input and kernel, concatenated. */
  private static TfRef grouped(ExportContext c, TfRef nhwc, TfRef hwio, long group, Spatial s) {
    TfRef xs = split(c, nhwc, group);
    TfRef ws = split(c, hwio, group);
    List<TfRef> parts = new ArrayList<>();
    for (int i = 0; i < group; i++) {
      parts.add(conv2d(c, "Conv2D", new TfRef(xs.node(), i, xs.dtype()), new TfRef(ws.node(), i, ws.dtype()), s));
    }
    return c.g().op("ConcatV2", c.hint() + "/concat").inputs(parts)
        .input(c.g().scalar(c.hint() + "/axis", DataType.DT_INT32, 3)).attr("N", group).attr("T", nhwc.dtype())
        .attr("Tidx", DataType.DT_INT32).output(nhwc.dtype());
  }

  private static TfRef split(ExportContext c, TfRef x, long n) {
    return c.g().op("Split", c.hint() + "/split").input(c.g().scalar(c.hint() + "/split_axis", DataType.DT_INT32, 3))
        .input(x).attr("T", x.dtype()).attr("num_split", n).output(x.dtype());
  }

  private static TfRef conv2d(ExportContext c, String op, TfRef x, TfRef w, Spatial s) {
    TfGraph.Node n = c.g().op(op, c.hint() + "/" + op).input(x).input(w).attr("T", x.dtype())
        .ints("strides", s.strides).ints("dilations", s.dilations).attr("padding", s.padding)
        .attr("data_format", "NHWC");
    if (s.padding.equals("EXPLICIT")) {
      n.ints("explicit_paddings", s.explicit);
    }
    return n.output(x.dtype());
  }

  /**
   * Strides, dilations and padding of a 2-D window op in NHWC terms.
   *
   * @param explicit NHWC pairs (before, after) when {@code padding} is EXPLICIT
   */
  record Spatial(long[] strides, long[] dilations, String padding, long[] explicit, long[] pads) {

    static Spatial of(ExportContext c, int n, boolean oneD) throws OpExportException {
      long[] st = c.attrInts("strides").orElse(ones(n));
      long[] dl = c.attrInts("dilations").orElse(ones(n));
      long[] pads = c.attrInts("pads").orElse(new long[2 * n]);
      if (oneD) {
        st = new long[] {1, st[0]};
        dl = new long[] {1, dl[0]};
        pads = new long[] {0, pads[0], 0, pads[1]};
      }
      String autoPad = c.attrString("auto_pad", "NOTSET");
      String padding;
      switch (autoPad) {
        case "SAME_UPPER" -> padding = "SAME";
        case "VALID" -> padding = "VALID";
        case "NOTSET" -> padding = java.util.Arrays.stream(pads).allMatch(p -> p == 0) ? "VALID" : "EXPLICIT";
        case "SAME_LOWER" -> {
          // TensorFlow's SAME pads the end more; the lower variant is explicit padding from static shapes.
          pads = sameLower(c, n, oneD, st, dl);
          padding = "EXPLICIT";
        }
        default -> throw new OpExportException("auto_pad " + autoPad + " is not converted");
      }
      if (autoPad.equals("VALID")) {
        pads = new long[4];
      }
      long[] explicit = {0, 0, pads[0], pads[2], pads[1], pads[3], 0, 0};
      return new Spatial(new long[] {1, st[0], st[1], 1}, new long[] {1, dl[0], dl[1], 1}, padding, explicit, pads);
    }

    /** ONNX's SAME_LOWER pads, {@code [h begin, w begin, h end, w end]}, the odd one at the beginning. */
    private static long[] sameLower(ExportContext c, int n, boolean oneD, long[] st, long[] dl) throws OpExportException {
      long[] dims = c.dims(0).orElseThrow(() -> new OpExportException("SAME_LOWER needs the input's shape"));
      long[] k = c.attrInts("kernel_shape").or(() -> c.dims(1).map(w -> java.util.Arrays.copyOfRange(w, 2, w.length)))
          .orElseThrow(() -> new OpExportException("SAME_LOWER needs the kernel's shape"));
      if (oneD) {
        dims = new long[] {dims[0], dims[1], 1, dims[2]};
        k = new long[] {1, k[0]};
      }
      long[] pads = new long[4];
      for (int i = 0; i < 2; i++) {
        long in = dims[i + 2];
        if (in < 0 || k[i] < 0) {
          throw new OpExportException("SAME_LOWER needs static spatial dims");
        }
        long out = Math.floorDiv(in + st[i] - 1, st[i]);
        long total = Math.max((out - 1) * st[i] + (k[i] - 1) * dl[i] + 1 - in, 0);
        pads[i] = total - total / 2;
        pads[i + 2] = total / 2;
      }
      return pads;
    }

    private static long[] ones(int n) {
      long[] a = new long[n];
      java.util.Arrays.fill(a, 1);
      return a;
    }
  }
}
