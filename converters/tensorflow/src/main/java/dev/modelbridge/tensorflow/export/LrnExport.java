package dev.modelbridge.tensorflow.export;

/**
 * LRN: TensorFlow's {@code LRN} normalises over the last axis with a symmetric window of
 * {@code 2 * depth_radius + 1} channels and multiplies the sum of squares by {@code alpha}, where
 * ONNX multiplies it by {@code alpha / size}. The NCHW input is transposed to NHWC and back (the
 * layout pass removes the pairs between NHWC ops).
 */
final class LrnExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("LRN", 1, LrnExport::lrn);
  }

  private static void lrn(ExportContext c) throws OpExportException {
    int rank = c.requireRank(0);
    if (rank != 4) {
      throw new OpExportException("only 4-D LRN is converted, not rank " + rank);
    }
    long size = c.attrInt("size", 0);
    if (size <= 0 || size % 2 == 0) {
      // ONNX's window for an even size is asymmetric; TensorFlow's is always symmetric.
      throw new OpExportException("LRN size " + size + " is not converted: only odd sizes have TensorFlow's symmetric window");
    }
    TfRef x = c.input(0);
    switch (x.dtype()) {
      case DT_FLOAT, DT_HALF, DT_BFLOAT16 -> { }
      default -> throw new OpExportException("LRN of " + x.dtype() + " is not converted");
    }
    float alpha = c.attrFloat("alpha", 1e-4f);
    TfRef nhwc = c.transpose(x, 0, 2, 3, 1);
    TfRef y = c.g().op("LRN", c.hint() + "/LRN").input(nhwc).attr("T", x.dtype())
        .attr("depth_radius", (size - 1) / 2).attr("bias", c.attrFloat("bias", 1f))
        .attr("alpha", alpha / size).attr("beta", c.attrFloat("beta", 0.75f)).output(x.dtype());
    c.bind(0, c.transpose(y, 0, 3, 1, 2));
  }
}
