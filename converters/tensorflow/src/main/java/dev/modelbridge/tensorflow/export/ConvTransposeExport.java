package dev.modelbridge.tensorflow.export;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.proto.DataType;

/**
 * ConvTranspose (1-D, 2-D, 3-D, groups, dilations, output_padding, output_shape, auto_pad) as the
 * input gradient of a VALID convolution (Conv2DBackpropInput, Conv3DBackpropInputV2) in channels-last
 * layout, which yields the full output {@code stride * (in - 1) + dilated kernel}; ONNX's pads then
 * select a window of it, padded with zeros where output_padding reaches past it. Dilations are
 * applied by spreading the kernel with zeros, since TensorFlow's CPU kernels take none. Needs static
 * spatial dims and a kernel of known shape.
 */
final class ConvTransposeExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("ConvTranspose", 1, ConvTransposeExport::convTranspose);
  }

  private static void convTranspose(ExportContext c) throws OpExportException {
    long[] xd = c.dims(0).orElseThrow(() -> new OpExportException("the input's shape is not known"));
    long[] wd = c.dims(1).orElseThrow(() -> new OpExportException("the kernel's shape is not known"));
    int n = xd.length - 2;
    if (n < 1 || n > 3) {
      throw new OpExportException(n + "-D transposed convolution is not converted");
    }
    long[] in = Arrays.copyOfRange(xd, 2, xd.length);
    long[] k = Arrays.copyOfRange(wd, 2, wd.length);
    if (Arrays.stream(in).anyMatch(v -> v < 0) || Arrays.stream(wd).anyMatch(v -> v < 0)) {
      throw new OpExportException("ConvTranspose needs static spatial dims and kernel shape");
    }
    long group = c.attrInt("group", 1);
    long[] s = c.attrInts("strides").orElse(filled(n, 1));
    long[] d = c.attrInts("dilations").orElse(filled(n, 1));
    long[] op = c.attrInts("output_padding").orElse(new long[n]);
    long[] pads = c.attrInts("pads").orElse(new long[2 * n]);
    String autoPad = c.attrString("auto_pad", "NOTSET");
    long[] outShape = c.attrInts("output_shape").orElse(null);
    long[] full = new long[n];
    long[] begin = new long[n];
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      full[i] = s[i] * (in[i] - 1) + (k[i] - 1) * d[i] + 1;
      long target = outShape != null ? outShape[outShape.length - n + i]
          : autoPad.startsWith("SAME") ? in[i] * s[i] : -1;
      if (target >= 0) {
        long total = full[i] + op[i] - target;
        // Floor division, as ONNX Runtime: a negative total (output_shape past the full output) pads the end.
        begin[i] = autoPad.equals("SAME_UPPER") ? Math.floorDiv(total, 2) : total - Math.floorDiv(total, 2);
        out[i] = target;
      } else {
        begin[i] = autoPad.equals("VALID") ? 0 : pads[i];
        long end = autoPad.equals("VALID") ? 0 : pads[i + n];
        out[i] = full[i] + op[i] - begin[i] - end;
      }
    }
    TfRef x = c.input(0);
    // [Cin, Cout/group, k...] to [k..., Cout/group, Cin]; for 1-D [k, Cout/group, Cin] viewed as [1, k, ...].
    long[] kPerm = new long[n + 2];
    for (int i = 0; i < n; i++) {
      kPerm[i] = i + 2;
    }
    kPerm[n] = 1;
    kPerm[n + 1] = 0;
    long[] filterDims = KernelVariables.permuted(wd, kPerm);
    if (n == 1) {
      filterDims = new long[] {1, filterDims[0], filterDims[1], filterDims[2]};
    }
    TfRef filter = c.kernel(1, kPerm, filterDims);
    if (n == 1) {
      // 1-D as 2-D over a height of 1.
      x = NnOps.expandDims(c, x, 2);
      in = new long[] {1, in[0]};
      k = new long[] {1, k[0]};
      s = new long[] {1, s[0]};
      d = new long[] {1, d[0]};
      full = new long[] {1, full[0]};
      begin = new long[] {0, begin[0]};
      out = new long[] {1, out[0]};
      n = 2;
    }
    long[] toLast = NnOps.axisLast(n + 2, 1);
    TfRef nhwc = c.transpose(x, toLast);
    for (int i = 0; i < n; i++) {
      if (d[i] > 1) {
        filter = dilate(c, filter, i, n, k, d[i]);
      }
    }
    long coutPerGroup = wd[1];
    TfRef batch = c.cast(ShapeExport.slice(c, c.shapeOf(x), 0, 1, false), DataType.DT_INT32);
    long[] rest = new long[n + 1];
    System.arraycopy(full, 0, rest, 0, n);
    rest[n] = coutPerGroup;
    TfRef sizes = NnOps.concat(c, List.of(batch, c.g().int32s(c.hint() + "/full", rest)), 0);
    TfRef y;
    if (group == 1) {
      y = backprop(c, sizes, filter, nhwc, s, n);
    } else {
      TfRef xs = split(c, nhwc, group, n + 1);
      TfRef ws = split(c, filter, group, n + 1);
      List<TfRef> parts = new ArrayList<>();
      for (int g = 0; g < group; g++) {
        parts.add(backprop(c, sizes, new TfRef(ws.node(), g, ws.dtype()), new TfRef(xs.node(), g, xs.dtype()), s, n));
      }
      y = NnOps.concat(c, parts, n + 1);
    }
    y = crop(c, y, full, begin, out, n);
    if (c.hasInput(2)) {
      y = c.g().op("BiasAdd", c.hint() + "/BiasAdd").input(y).input(c.input(2)).attr("T", y.dtype())
          .attr("data_format", "NHWC").output(y.dtype());
    }
    y = c.transpose(y, NnOps.inverse(toLast));
    c.bind(0, xd.length == 3 ? MatrixExport.squeeze(c, y, 2) : y);
  }

  private static TfRef backprop(ExportContext c, TfRef sizes, TfRef filter, TfRef grad, long[] s, int n) {
    long[] strides = new long[n + 2];
    Arrays.fill(strides, 1);
    System.arraycopy(s, 0, strides, 1, n);
    String op = n == 2 ? "Conv2DBackpropInput" : "Conv3DBackpropInputV2";
    TfGraph.Node node = c.g().op(op, c.hint() + "/" + op).input(sizes).input(filter).input(grad)
        .attr("T", grad.dtype()).ints("strides", strides).ints("dilations", filled(n + 2, 1)).attr("padding", "VALID")
        .attr("data_format", n == 2 ? "NHWC" : "NDHWC");
    if (n == 3) {
      node.attr("Tshape", DataType.DT_INT32);
    }
    return node.output(grad.dtype());
  }

  /** {@code [pad begin, ...]} then a slice of {@code out} from {@code begin} on each spatial axis of {@code y}. */
  private static TfRef crop(ExportContext c, TfRef y, long[] full, long[] begin, long[] out, int n) {
    long[] pairs = new long[2 * (n + 2)];
    long[] start = new long[n + 2];
    long[] size = new long[n + 2];
    size[0] = -1;
    size[n + 1] = -1;
    boolean identity = true;
    for (int i = 0; i < n; i++) {
      pairs[2 * (i + 1)] = Math.max(-begin[i], 0);
      pairs[2 * (i + 1) + 1] = Math.max(begin[i] + out[i] - full[i], 0);
      start[i + 1] = Math.max(begin[i], 0);
      size[i + 1] = out[i];
      identity &= begin[i] == 0 && out[i] == full[i];
    }
    if (identity) {
      return y;
    }
    if (Arrays.stream(pairs).anyMatch(v -> v != 0)) {
      y = c.g().op("PadV2", c.hint() + "/PadV2").input(y).input(c.reshape(c.g().int64s(c.hint() + "/pads", pairs),
          c.g().int64s(c.hint() + "/pads_shape", n + 2, 2))).input(c.scalarLike(y, 0)).attr("T", y.dtype())
          .attr("Tpaddings", DataType.DT_INT64).output(y.dtype());
    }
    return c.g().op("Slice", c.hint() + "/Slice").input(y).input(c.g().int64s(c.hint() + "/begin", start))
        .input(c.g().int64s(c.hint() + "/size", size)).attr("T", y.dtype()).attr("Index", DataType.DT_INT64)
        .output(y.dtype());
  }

  /** Spreads kernel axis {@code i} (length {@code k[i]}) with {@code dil - 1} zeros between taps. */
  private static TfRef dilate(ExportContext c, TfRef f, int i, int n, long[] k, long dil) {
    TfRef e = NnOps.expandDims(c, f, i + 1);
    long[] pairs = new long[2 * (n + 3)];
    pairs[2 * (i + 1) + 1] = dil - 1;
    TfRef padded = c.g().op("PadV2", c.hint() + "/dilate").input(e).input(c.reshape(c.g().int64s(c.hint() + "/dp",
        pairs), c.g().int64s(c.hint() + "/dp_shape", n + 3, 2))).input(c.scalarLike(f, 0)).attr("T", f.dtype())
        .attr("Tpaddings", DataType.DT_INT64).output(f.dtype());
    TfRef shp = c.shapeOf(f);
    TfRef merged = c.op("Mul", NnOps.gather(c, shp, c.g().int64s(c.hint() + "/ax", i), 0),
        c.g().int64s(c.hint() + "/dil", dil));
    List<TfRef> parts = new ArrayList<>();
    if (i > 0) {
      parts.add(ShapeExport.slice(c, shp, 0, i, false));
    }
    parts.add(merged);
    parts.add(ShapeExport.slice(c, shp, i + 1, 0, true));
    TfRef flat = c.reshape(padded, NnOps.concat(c, parts, 0));
    long[] b = new long[n + 2];
    long[] sz = new long[n + 2];
    Arrays.fill(sz, -1);
    sz[i] = (k[i] - 1) * dil + 1;
    return c.g().op("Slice", c.hint() + "/Slice").input(flat).input(c.g().int64s(c.hint() + "/begin", b))
        .input(c.g().int64s(c.hint() + "/size", sz)).attr("T", f.dtype()).attr("Index", DataType.DT_INT64)
        .output(f.dtype());
  }

  private static TfRef split(ExportContext c, TfRef x, long parts, long axis) {
    return c.g().op("Split", c.hint() + "/split").input(c.g().scalar(c.hint() + "/split_axis", DataType.DT_INT32, axis))
        .input(x).attr("T", x.dtype()).attr("num_split", parts).output(x.dtype());
  }

  private static long[] filled(int n, long v) {
    long[] a = new long[n];
    Arrays.fill(a, v);
    return a;
  }
}
