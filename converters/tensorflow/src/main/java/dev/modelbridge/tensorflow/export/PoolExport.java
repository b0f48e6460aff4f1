package dev.modelbridge.tensorflow.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.tensorflow.proto.DataType;

/**
 * MaxPool and AveragePool (1-D and 2-D, NHWC between Transposes; the rest in {@link PoolWindows}),
 * LpPool and the global pools. Padding is
 * applied with an explicit pad op: with the lowest value for MaxPool, and for AveragePool without
 * count_include_pad by dividing by the pooled count of ones, which counts only real elements.
 */
final class PoolExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("MaxPool", 1, c -> pool(c, true));
    t.add("AveragePool", 1, c -> pool(c, false));
    t.add("GlobalAveragePool", 1, c -> global(c, "Mean"));
    t.add("GlobalMaxPool", 1, c -> global(c, "Max"));
    t.add("LpPool", 1, c -> PoolWindows.emit(c, PoolWindows.Kind.LP));
    t.add("GlobalLpPool", 1, PoolExport::globalLp);
  }

  /** {@code (sum |x|^p)^(1/p)} over the spatial axes. */
  private static void globalLp(ExportContext c) throws OpExportException {
    int rank = c.requireRank(0);
    long p = c.attrInt("p", 2);
    TfRef x = c.input(0);
    TfRef powered = p == 2 ? c.op("Mul", x, x) : c.op("Pow", c.op("Abs", x), c.scalarLike(x, p));
    TfRef sum = c.reduce("Sum", powered, StatsNormExport.range(2, rank), true);
    c.bind(0, p == 2 ? c.op("Sqrt", sum) : c.op("Pow", sum, c.scalarLike(sum, 1.0 / p)));
  }

  /** Whether TensorFlow's own 1-D/2-D pooling kernels compute this node exactly. */
  private static boolean native2d(ExportContext c, int rank) {
    boolean dilated = c.attrInts("dilations").map(d -> java.util.Arrays.stream(d).anyMatch(v -> v != 1)).orElse(false);
    return (rank == 3 || rank == 4) && c.attrInt("ceil_mode", 0) == 0 && !c.hasOutput(1) && !dilated
        && !c.attrString("auto_pad", "NOTSET").equals("SAME_LOWER");
  }

  private static void global(ExportContext c, String op) throws OpExportException {
    int rank = c.requireRank(0);
    long[] axes = new long[rank - 2];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = i + 2;
    }
    c.bind(0, c.reduce(op, c.input(0), axes, true));
  }

  private static void pool(ExportContext c, boolean max) throws OpExportException {
    int rank = c.requireRank(0);
    if (!native2d(c, rank)) {
      PoolWindows.emit(c, max ? PoolWindows.Kind.MAX : PoolWindows.Kind.AVG);
      return;
    }
    boolean oneD = rank == 3;
    ConvExport.Spatial s = ConvExport.Spatial.of(c, rank - 2, oneD);
    long[] k = c.attrInts("kernel_shape").orElseThrow(() -> new OpExportException("kernel_shape is missing"));
    long[] ksize = oneD ? new long[] {1, 1, k[0], 1} : new long[] {1, k[0], k[1], 1};
    TfRef x = c.input(0);
    if (oneD) {
      x = MatrixExport.expandDims(c, x, 2);
    }
    TfRef nhwc = c.transpose(x, 0, 2, 3, 1);
    TfRef y;
    if (!s.padding().equals("EXPLICIT")) {
      y = window(c, max ? "MaxPool" : "AvgPool", nhwc, ksize, s.strides(), s.padding());
    } else if (max) {
      y = window(c, "MaxPool", pad(c, nhwc, s.explicit(), lowest(c, nhwc)), ksize, s.strides(), "VALID");
    } else {
      TfRef zero = c.scalarLike(nhwc, 0);
      TfRef sum = window(c, "AvgPool", pad(c, nhwc, s.explicit(), zero), ksize, s.strides(), "VALID");
      if (c.attrInt("count_include_pad", 0) != 0) {
        y = sum;
      } else {
        TfRef ones = pad(c, c.op("OnesLike", nhwc), s.explicit(), zero);
        y = c.op("RealDiv", sum, window(c, "AvgPool", ones, ksize, s.strides(), "VALID"));
      }
    }
    y = c.transpose(y, 0, 3, 1, 2);
    c.bind(0, oneD ? MatrixExport.squeeze(c, y, 2) : y);
  }

  private static TfRef window(ExportContext c, String op, TfRef x, long[] ksize, long[] strides, String padding) {
    return c.g().op(op, c.hint() + "/" + op).input(x).attr("T", x.dtype()).ints("ksize", ksize)
        .ints("strides", strides).attr("padding", padding).attr("data_format", "NHWC").output(x.dtype());
  }

  private static TfRef pad(ExportContext c, TfRef x, long[] pairs, TfRef value) {
    ByteBuffer b = ByteBuffer.allocate(pairs.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long p : pairs) {
      b.putLong(p);
    }
    TfRef paddings = c.g().constant(c.hint() + "/paddings", DataType.DT_INT64, new long[] {pairs.length / 2, 2}, b.flip());
    return c.g().op("PadV2", c.hint() + "/PadV2").input(x).input(paddings).input(value).attr("T", x.dtype())
        .attr("Tpaddings", DataType.DT_INT64).output(x.dtype());
  }

  static TfRef lowest(ExportContext c, TfRef x) throws OpExportException {
    return switch (x.dtype()) {
      case DT_FLOAT, DT_DOUBLE -> c.scalarLike(x, Double.NEGATIVE_INFINITY);
      case DT_INT32 -> c.scalarLike(x, Integer.MIN_VALUE);
      case DT_INT64 -> c.scalarLike(x, Long.MIN_VALUE);
      case DT_INT8 -> c.scalarLike(x, Byte.MIN_VALUE);
      case DT_UINT8 -> c.scalarLike(x, 0);
      default -> throw new OpExportException("MaxPool padding of " + x.dtype() + " is not converted");
    };
  }
}
