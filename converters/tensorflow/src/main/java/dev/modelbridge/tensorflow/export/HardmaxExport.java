package dev.modelbridge.tensorflow.export;

import org.tensorflow.proto.DataType;

/**
 * Hardmax: the one-hot of the first maximum along an axis (opset 13), or along the last axis of the
 * input coerced to 2-D at {@code axis} (before opset 13).
 */
final class HardmaxExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("Hardmax", 1, HardmaxExport::coerced);
    t.add("Hardmax", 13, c -> {
      int rank = c.requireRank(0);
      c.bind(0, hardmax(c, c.input(0), c.axis(c.attrInt("axis", -1), rank)));
    });
  }

  private static void coerced(ExportContext c) throws OpExportException {
    TfRef x = c.input(0);
    long axis = c.axis(c.attrInt("axis", 1), c.requireRank(0));
    c.bind(0, c.reshape(hardmax(c, ShapeExport.flatten2d(c, x, axis), 1), c.shapeOf(x)));
  }

  /** ArgMax then OneHot back along the same axis; ArgMax takes the first index on ties, as ONNX does. */
  private static TfRef hardmax(ExportContext c, TfRef x, long axis) {
    TfRef idx = c.g().op("ArgMax", c.hint() + "/ArgMax").input(x)
        .input(c.g().scalar(c.hint() + "/axis", DataType.DT_INT64, axis)).attr("T", x.dtype())
        .attr("Tidx", DataType.DT_INT64).attr("output_type", DataType.DT_INT64).output(DataType.DT_INT64);
    TfRef depth = c.cast(MlGraphOps.dim(c, x, axis), DataType.DT_INT32);
    return c.g().op("OneHot", c.hint() + "/OneHot").input(idx).input(depth)
        .input(AttentionExport.constant(c, x.dtype(), 1)).input(AttentionExport.constant(c, x.dtype(), 0))
        .attr("T", x.dtype()).attr("TI", DataType.DT_INT64).attr("axis", axis).output(x.dtype());
  }
}
