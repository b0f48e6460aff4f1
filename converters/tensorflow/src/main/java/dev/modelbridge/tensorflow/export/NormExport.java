package dev.modelbridge.tensorflow.export;


/**
 * Normalisations and activations decomposed into arithmetic: BatchNormalization (inference, in
 * NCHW with broadcasting parameters), LayerNormalization, Softmax and LogSoftmax, Gelu.
 */
final class NormExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("BatchNormalization", 1, NormExport::batchNorm);
    t.add("LayerNormalization", 17, NormExport::layerNorm);
    t.add("Softmax", 1, c -> softmaxCoerced(c, "Softmax"));
    t.add("Softmax", 13, c -> softmax(c, "Softmax"));
    t.add("LogSoftmax", 1, c -> softmaxCoerced(c, "LogSoftmax"));
    t.add("LogSoftmax", 13, c -> softmax(c, "LogSoftmax"));
    t.add("Gelu", 20, NormExport::gelu);
  }

  /** {@code (x - mean) * scale / sqrt(var + eps) + B}, parameters shaped {@code [C, 1, ...]}. */
  private static void batchNorm(ExportContext c) throws OpExportException {
    if (c.attrInt("training_mode", 0) != 0 || c.hasOutput(1)) {
      throw new OpExportException("training mode is not converted, only inference");
    }
    int rank = c.requireRank(0);
    TfRef x = c.input(0);
    long[] pshape = new long[Math.max(rank - 1, 1)];
    java.util.Arrays.fill(pshape, 1);
    pshape[0] = -1;
    TfRef shape = c.g().int64s(c.hint() + "/param_shape", pshape);
    TfRef scale = c.reshape(c.input(1), shape);
    TfRef bias = c.reshape(c.input(2), shape);
    TfRef mean = c.reshape(c.input(3), shape);
    TfRef var = c.reshape(c.input(4), shape);
    TfRef inv = c.op("Rsqrt", c.op("AddV2", var, c.scalarLike(var, c.attrFloat("epsilon", 1e-5f))));
    TfRef y = c.op("Mul", c.op("Sub", x, mean), c.op("Mul", scale, inv));
    c.bind(0, c.op("AddV2", y, bias));
  }

  private static void layerNorm(ExportContext c) throws OpExportException {
    int rank = c.requireRank(0);
    long axis = c.axis(c.attrInt("axis", -1), rank);
    long[] axes = new long[(int) (rank - axis)];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = axis + i;
    }
    TfRef x = c.input(0);
    TfRef mean = c.reduce("Mean", x, axes, true);
    TfRef d = c.op("Sub", x, mean);
    TfRef var = c.reduce("Mean", c.op("Mul", d, d), axes, true);
    TfRef inv = c.op("Rsqrt", c.op("AddV2", var, c.scalarLike(var, c.attrFloat("epsilon", 1e-5f))));
    TfRef y = c.op("Mul", c.op("Mul", d, inv), c.input(1));
    if (c.hasInput(2)) {
      y = c.op("AddV2", y, c.input(2));
    }
    c.bind(0, y);
    c.bind(1, mean);
    c.bind(2, inv);
  }

  /** Opset 13 and later: along one axis, moved last for TensorFlow's last-axis kernels. */
  private static void softmax(ExportContext c, String op) throws OpExportException {
    TfRef x = c.input(0);
    long axis = c.attrInt("axis", -1);
    if (axis == -1) {
      c.bind(0, c.op(op, x));
      return;
    }
    int rank = c.requireRank(0);
    axis = c.axis(axis, rank);
    if (axis == rank - 1) {
      c.bind(0, c.op(op, x));
      return;
    }
    long[] perm = new long[rank];
    for (int i = 0; i < rank; i++) {
      perm[i] = i;
    }
    perm[(int) axis] = rank - 1;
    perm[rank - 1] = axis;
    c.bind(0, c.transpose(c.op(op, c.transpose(x, perm)), perm));
  }

  /** Before opset 13: over the input coerced to 2-D at {@code axis} (default 1). */
  private static void softmaxCoerced(ExportContext c, String op) throws OpExportException {
    TfRef x = c.input(0);
    int rank = c.requireRank(0);
    long axis = c.axis(c.attrInt("axis", 1), rank);
    if (axis == rank - 1) {
      c.bind(0, c.op(op, x));
      return;
    }
    TfRef flat = ShapeExport.flatten2d(c, x, axis);
    c.bind(0, c.reshape(c.op(op, flat), c.shapeOf(x)));
  }

  /** {@code x/2 (1 + erf(x/sqrt 2))}, or the tanh approximation. */
  private static void gelu(ExportContext c) throws OpExportException {
    TfRef x = c.input(0);
    TfRef inner;
    if (c.attrString("approximate", "none").equals("tanh")) {
      TfRef cube = c.op("Mul", c.op("Mul", x, x), x);
      TfRef poly = c.op("AddV2", x, c.op("Mul", cube, c.scalarLike(x, 0.044715)));
      inner = c.op("Tanh", c.op("Mul", poly, c.scalarLike(x, Math.sqrt(2 / Math.PI))));
    } else {
      inner = c.op("Erf", c.op("Mul", x, c.scalarLike(x, 1 / Math.sqrt(2))));
    }
    TfRef half = c.op("Mul", x, c.scalarLike(x, 0.5));
    c.bind(0, c.op("Mul", half, c.op("AddV2", inner, c.scalarLike(x, 1))));
  }
}
