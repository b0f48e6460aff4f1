package dev.modelbridge.tensorflow.export;

import org.tensorflow.proto.DataType;

/** Activations TensorFlow has no single op for: Mish, HardSwish, Swish, Celu, ThresholdedRelu, Shrink, Hardmax. */
final class ActivationExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("Mish", 18, c -> {
      TfRef x = c.input(0);
      c.bind(0, c.op("Mul", x, c.op("Tanh", c.op("Softplus", x))));
    });
    t.add("HardSwish", 14, c -> {
      TfRef x = c.input(0);
      TfRef lin = c.op("AddV2", c.op("Mul", x, TfMath.like(c, x, 1.0 / 6)), TfMath.like(c, x, 0.5));
      TfRef gate = c.op("Maximum", c.op("Minimum", lin, TfMath.like(c, x, 1)), TfMath.like(c, x, 0));
      c.bind(0, c.op("Mul", x, gate));
    });
    t.add("Swish", 24, c -> {
      TfRef x = c.input(0);
      float alpha = c.attrFloat("alpha", 1f);
      TfRef ax = alpha == 1f ? x : c.op("Mul", x, TfMath.like(c, x, alpha));
      c.bind(0, c.op("Mul", x, c.op("Sigmoid", ax)));
    });
    t.add("Celu", 12, ActivationExport::celu);
    t.add("ThresholdedRelu", 10, c -> {
      TfRef x = c.input(0);
      TfRef keep = c.op("Greater", x, TfMath.like(c, x, c.attrFloat("alpha", 1f))).as(DataType.DT_BOOL);
      c.bind(0, ElementwiseExport.select(c, keep, x, c.op("ZerosLike", x)));
    });
    t.add("Shrink", 9, ActivationExport::shrink);
    t.add("Hardmax", 1, c -> hardmax(c, false));
    t.add("Hardmax", 13, c -> hardmax(c, true));
  }

  /** {@code max(0, x) + min(0, alpha * (exp(x / alpha) - 1))}. */
  private static void celu(ExportContext c) throws OpExportException {
    TfRef x = c.input(0);
    TfRef alpha = TfMath.like(c, x, c.attrFloat("alpha", 1f));
    TfRef e = c.op("Mul", alpha, c.op("Sub", c.op("Exp", c.op("RealDiv", x, alpha)), TfMath.like(c, x, 1)));
    TfRef zero = TfMath.like(c, x, 0);
    c.bind(0, c.op("AddV2", c.op("Maximum", x, zero), c.op("Minimum", e, zero)));
  }

  /** {@code x + bias} below {@code -lambd}, {@code x - bias} above {@code lambd}, else 0. */
  private static void shrink(ExportContext c) throws OpExportException {
    TfRef x = c.input(0);
    float lambd = c.attrFloat("lambd", 0.5f);
    float bias = c.attrFloat("bias", 0f);
    boolean floatInput = ElementwiseExport.isFloat(x.dtype());
    // Integer inputs compare against the float attributes like the reference does: in float.
    TfRef xf = floatInput ? x : c.cast(x, DataType.DT_FLOAT);
    TfRef low = c.op("Less", xf, TfMath.like(c, xf, -lambd)).as(DataType.DT_BOOL);
    TfRef high = c.op("Greater", xf, TfMath.like(c, xf, lambd)).as(DataType.DT_BOOL);
    TfRef y = ElementwiseExport.select(c, low, c.op("AddV2", xf, TfMath.like(c, xf, bias)),
        ElementwiseExport.select(c, high, c.op("Sub", xf, TfMath.like(c, xf, bias)), c.op("ZerosLike", xf)));
    c.bind(0, c.cast(y, x.dtype()));
  }

  /**
   * One-hot of the first maximum along the axis. Before opset 13 the input is read as a matrix
   * split at {@code axis} (default 1); from 13 the axis is one dimension (default -1).
   */
  private static void hardmax(ExportContext c, boolean singleAxis) throws OpExportException {
    TfRef x = c.input(0);
    int rank = c.requireRank(0);
    long axis = c.axis(c.attrInt("axis", singleAxis ? -1 : 1), rank);
    if (singleAxis) {
      c.bind(0, oneHotMax(c, x, axis));
      return;
    }
    TfRef flat = ShapeExport.flatten2d(c, x, axis);
    c.bind(0, c.reshape(oneHotMax(c, flat, 1), c.shapeOf(x)));
  }

  private static TfRef oneHotMax(ExportContext c, TfRef x, long axis) {
    TfRef idx = c.g().op("ArgMax", c.hint() + "/ArgMax").input(x)
        .input(c.g().scalar(c.hint() + "/axis", DataType.DT_INT64, axis)).attr("T", x.dtype())
        .attr("Tidx", DataType.DT_INT64).attr("output_type", DataType.DT_INT64).output(DataType.DT_INT64);
    TfRef depth = c.cast(TfMath.dim(c, x, axis), DataType.DT_INT32);
    return c.g().op("OneHot", c.hint() + "/OneHot").input(idx).input(depth).input(TfMath.like(c, x, 1))
        .input(TfMath.like(c, x, 0)).attr("T", x.dtype()).attr("TI", DataType.DT_INT64).attr("axis", axis)
        .output(x.dtype());
  }
}
