package dev.modelbridge.tensorflow.export;

import org.tensorflow.proto.DataType;

/**
 * Normalisations by statistics over some axes, decomposed into reductions and arithmetic:
 * InstanceNormalization, GroupNormalization, MeanVarianceNormalization, RMSNormalization and
 * LpNormalization. Statistics are kept with {@code keep_dims} so that they broadcast back.
 */
final class StatsNormExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("InstanceNormalization", 1, StatsNormExport::instanceNorm);
    t.add("GroupNormalization", 18, c -> groupNorm(c, false));
    t.add("GroupNormalization", 21, c -> groupNorm(c, true));
    t.add("MeanVarianceNormalization", 9, StatsNormExport::mvn);
    t.add("RMSNormalization", 23, StatsNormExport::rmsNorm);
    t.add("LpNormalization", 1, StatsNormExport::lpNorm);
  }

  /** Per instance and channel over the spatial axes; scale and B are {@code [C]}. */
  private static void instanceNorm(ExportContext c) throws OpExportException {
    int rank = c.requireRank(0);
    TfRef y = standardize(c, c.input(0), range(2, rank), c.attrFloat("epsilon", 1e-5f));
    TfRef shape = channelShape(c, rank);
    y = c.op("Mul", y, c.reshape(c.input(1), shape));
    c.bind(0, c.op("AddV2", y, c.reshape(c.input(2), shape)));
  }

  /**
   * Statistics per instance and group of channels, over {@code x} reshaped to {@code [N, G, -1]}.
   * Opset 18 has scale and bias per group, opset 21 per channel.
   */
  private static void groupNorm(ExportContext c, boolean perChannel) throws OpExportException {
    int rank = c.requireRank(0);
    long groups = c.attrInt("num_groups", 0);
    if (groups <= 0) {
      throw new OpExportException("num_groups must be positive");
    }
    TfRef x = c.input(0);
    TfRef shape = c.shapeOf(x);
    TfRef grouped = c.g().op("ConcatV2", c.hint() + "/grouped_shape").input(ShapeExport.slice(c, shape, 0, 1, false))
        .input(c.g().int64s(c.hint() + "/groups", groups, -1)).input(c.g().scalar(c.hint() + "/axis0", DataType.DT_INT32, 0))
        .attr("N", 2L).attr("T", DataType.DT_INT64).attr("Tidx", DataType.DT_INT32).output(DataType.DT_INT64);
    TfRef y = standardize(c, c.reshape(x, grouped), new long[] {2}, c.attrFloat("epsilon", 1e-5f));
    if (perChannel) {
      y = c.reshape(y, shape);
      TfRef pshape = channelShape(c, rank);
      y = c.op("Mul", y, c.reshape(c.input(1), pshape));
      y = c.op("AddV2", y, c.reshape(c.input(2), pshape));
    } else {
      TfRef pshape = c.g().int64s(c.hint() + "/group_param_shape", groups, 1);
      y = c.op("Mul", y, c.reshape(c.input(1), pshape));
      y = c.reshape(c.op("AddV2", y, c.reshape(c.input(2), pshape)), shape);
    }
    c.bind(0, y);
  }

  /** {@code (x - mean) / (sqrt(var) + 1e-9)} over {@code axes} (default 0, 2, 3), as ONNX's function body. */
  private static void mvn(ExportContext c) throws OpExportException {
    int rank = c.requireRank(0);
    long[] axes = c.attrInts("axes").orElse(new long[] {0, 2, 3});
    for (int i = 0; i < axes.length; i++) {
      axes[i] = c.axis(axes[i], rank);
    }
    TfRef x = c.input(0);
    TfRef mean = c.reduce("Mean", x, axes, true);
    TfRef meanOfSquares = c.reduce("Mean", c.op("Mul", x, x), axes, true);
    TfRef var = c.op("Sub", meanOfSquares, c.op("Mul", mean, mean));
    TfRef std = c.op("AddV2", c.op("Sqrt", var), c.scalarLike(var, 1e-9));
    c.bind(0, c.op("RealDiv", c.op("Sub", x, mean), std));
  }

  /** {@code x / sqrt(mean(x^2) + epsilon) * scale} over the axes from {@code axis} on. */
  private static void rmsNorm(ExportContext c) throws OpExportException {
    int rank = c.requireRank(0);
    long axis = c.axis(c.attrInt("axis", -1), rank);
    TfRef x = c.input(0);
    TfRef ms = c.reduce("Mean", c.op("Mul", x, x), range(axis, rank), true);
    TfRef inv = c.op("Rsqrt", c.op("AddV2", ms, c.scalarLike(ms, c.attrFloat("epsilon", 1e-5f))));
    c.bind(0, c.op("Mul", c.op("Mul", x, inv), c.input(1)));
  }

  /** {@code x / ||x||_p} along {@code axis}, p 1 or 2. */
  private static void lpNorm(ExportContext c) throws OpExportException {
    int rank = c.requireRank(0);
    long axis = c.axis(c.attrInt("axis", -1), rank);
    long p = c.attrInt("p", 2);
    TfRef x = c.input(0);
    TfRef norm;
    if (p == 1) {
      norm = c.reduce("Sum", c.op("Abs", x), new long[] {axis}, true);
    } else if (p == 2) {
      norm = c.op("Sqrt", c.reduce("Sum", c.op("Mul", x, x), new long[] {axis}, true));
    } else {
      throw new OpExportException("LpNormalization with p=" + p + " is not defined (p is 1 or 2)");
    }
    c.bind(0, c.op("DivNoNan", x, norm));
  }

  /** {@code (x - mean) / sqrt(var + epsilon)} over {@code axes}. */
  private static TfRef standardize(ExportContext c, TfRef x, long[] axes, float epsilon) {
    TfRef mean = c.reduce("Mean", x, axes, true);
    TfRef d = c.op("Sub", x, mean);
    TfRef var = c.reduce("Mean", c.op("Mul", d, d), axes, true);
    return c.op("Mul", d, c.op("Rsqrt", c.op("AddV2", var, c.scalarLike(var, epsilon))));
  }

  /** {@code [-1, 1, ...]}: a per-channel vector broadcast against {@code [N, C, ...]}. */
  private static TfRef channelShape(ExportContext c, int rank) {
    long[] s = new long[Math.max(rank - 1, 1)];
    java.util.Arrays.fill(s, 1);
    s[0] = -1;
    return c.g().int64s(c.hint() + "/param_shape", s);
  }

  static long[] range(long from, long to) {
    long[] r = new long[(int) Math.max(to - from, 0)];
    for (int i = 0; i < r.length; i++) {
      r[i] = from + i;
    }
    return r;
  }
}
