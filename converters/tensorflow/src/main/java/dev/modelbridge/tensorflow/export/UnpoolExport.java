package dev.modelbridge.tensorflow.export;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.proto.DataType;

/**
 * MaxUnpool: scatters into zeros by computed coordinates (flat indices over the whole output, as
 * MaxPool gives them). The deprecated Scatter is ScatterElements' handler.
 */
final class UnpoolExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("MaxUnpool", 9, UnpoolExport::maxUnpool);
  }

  /**
   * The flat indices address the output of the inferred shape; with output_shape given, that
   * block sits at the origin of the larger output (as in ONNX's reference), so the indices are
   * unravelled in the inferred shape and the values scattered by coordinates into zeros.
   */
  private static void maxUnpool(ExportContext c) throws OpExportException {
    TfRef x = c.input(0);
    String h = c.hint();
    int spatial = c.requireRank(0) - 2;
    long[] kernel = c.attrInts("kernel_shape").orElseThrow(() -> new OpExportException("kernel_shape is required"));
    long[] strides = c.attrInts("strides").orElse(filled(spatial, 1));
    long[] pads = c.attrInts("pads").orElse(new long[2 * spatial]);
    if (kernel.length != spatial || strides.length != spatial || pads.length != 2 * spatial) {
      throw new OpExportException("kernel_shape, strides and pads do not match " + spatial + " spatial axes");
    }
    long[] offset = new long[spatial];
    for (int i = 0; i < spatial; i++) {
      offset[i] = kernel[i] - strides[i] - pads[i] - pads[i + spatial];
    }
    // (in - 1) * stride + kernel - pads, as in * stride + (kernel - stride - pads).
    TfRef s = c.shapeOf(x);
    TfRef in = ShapeExport.slice(c, s, 2, 0, true);
    TfRef out = c.op("AddV2", c.op("Mul", in, c.g().int64s(h + "/strides", strides)), c.g().int64s(h + "/offset", offset));
    TfRef inferred = c.g().op("ConcatV2", h + "/inferred").input(ShapeExport.slice(c, s, 0, 2, false)).input(out)
        .input(c.g().scalar(h + "/axis", DataType.DT_INT32, 0)).attr("N", 2L).attr("T", DataType.DT_INT64)
        .attr("Tidx", DataType.DT_INT32).output(DataType.DT_INT64);
    TfRef shape = c.hasInput(2) ? c.cast(c.input(2), DataType.DT_INT64) : inferred;
    TfRef flatIndices = c.reshape(c.cast(c.input(1), DataType.DT_INT64), c.g().int64s(h + "/flati", -1));
    TfRef unravelled = c.g().op("UnravelIndex", h + "/UnravelIndex").input(flatIndices).input(inferred)
        .attr("Tidx", DataType.DT_INT64).output(DataType.DT_INT64);
    TfRef coords = c.transpose(unravelled, 1, 0);
    TfRef values = c.reshape(x, c.g().int64s(h + "/flat", -1));
    TfRef zeros = c.g().op("Fill", h + "/zeros").input(shape).input(c.scalarLike(x, 0)).attr("T", x.dtype())
        .attr("index_type", DataType.DT_INT64).output(x.dtype());
    c.bind(0, c.g().op("TensorScatterUpdate", h).input(zeros).input(coords).input(values).attr("T", x.dtype())
        .attr("Tindices", DataType.DT_INT64).output(x.dtype()));
  }

  /** Element {@code d} of a shape vector, as a scalar. */
  private static TfRef dim(ExportContext c, TfRef shape, int d) {
    return c.g().op("StridedSlice", c.hint() + "/dim").input(shape).input(c.g().int64s(c.hint() + "/b", d))
        .input(c.g().int64s(c.hint() + "/e", d + 1)).input(c.g().int64s(c.hint() + "/s", 1))
        .attr("T", DataType.DT_INT64).attr("Index", DataType.DT_INT64).attr("shrink_axis_mask", 1L)
        .output(DataType.DT_INT64);
  }

  private static long[] filled(int n, long v) {
    long[] a = new long[n];
    java.util.Arrays.fill(a, v);
    return a;
  }
}
