package dev.modelbridge.tensorflow.export;

import org.tensorflow.proto.DataType;

/**
 * Resize's coordinate transformations and interpolation kernels, emitted in double. The formulas
 * follow ONNX's reference implementation, where the output width in the align_corners,
 * pytorch_half_pixel and tf_crop_and_resize rules is {@code scale * input_length} (fractional
 * when resizing by scales).
 */
final class ResizeCoordinates {
  private ResizeCoordinates() {}

  /**
   * The source coordinate of each output index {@code o} (a double vector).
   *
   * @param start the roi start of this axis (tf_crop_and_resize only), else {@code null}
   */
  static TfRef source(ExportContext c, String ctm, TfRef o, TfRef in, TfRef scale, TfRef outInt, TfRef start,
      TfRef end) throws OpExportException {
    TfRef half = c.scalarLike(o, 0.5);
    TfRef one = c.scalarLike(o, 1);
    TfRef width = c.op("Mul", scale, in);
    TfRef halfPixel = c.op("Sub", c.op("RealDiv", c.op("AddV2", o, half), scale), half);
    TfRef widthIsOne = NnOps.test(c, "Equal", width, one);
    switch (ctm) {
      case "half_pixel":
        return halfPixel;
      case "half_pixel_symmetric": {
        TfRef adjustment = c.op("RealDiv", c.cast(outInt, DataType.DT_DOUBLE), width);
        TfRef offset = c.op("Mul", c.op("Mul", in, half), c.op("Sub", one, adjustment));
        return c.op("AddV2", offset, halfPixel);
      }
      case "pytorch_half_pixel":
        return NnOps.select(c, widthIsOne, c.op("Mul", c.op("OnesLike", o), c.scalarLike(o, -0.5)), halfPixel);
      case "align_corners": {
        TfRef v = c.op("RealDiv", c.op("Mul", o, c.op("Sub", in, one)), c.op("Sub", width, one));
        return NnOps.select(c, widthIsOne, c.op("ZerosLike", o), v);
      }
      case "asymmetric":
        return c.op("RealDiv", o, scale);
      case "tf_half_pixel_for_nn":
        return c.op("RealDiv", c.op("AddV2", o, half), scale);
      case "tf_crop_and_resize": {
        TfRef span = c.op("Mul", c.op("Sub", end, start), c.op("Sub", in, one));
        TfRef single = c.op("Mul", c.op("OnesLike", o), c.op("Mul", span, half));
        TfRef v = NnOps.select(c, widthIsOne, single, c.op("RealDiv", c.op("Mul", o, span), c.op("Sub", width, one)));
        return c.op("AddV2", v, c.op("Mul", start, c.op("Sub", in, one)));
      }
      default:
        throw new OpExportException("coordinate_transformation_mode " + ctm + " is not converted");
    }
  }

  /** The interpolation kernel at distances {@code t >= 0}: the triangle, or Keys' cubic with {@code a}. */
  static TfRef kernel(ExportContext c, TfRef t, boolean cubic, double a) {
    TfRef one = c.scalarLike(t, 1);
    if (!cubic) {
      return c.op("Maximum", c.op("Sub", one, t), c.scalarLike(t, 0));
    }
    TfRef t2 = c.op("Mul", t, t);
    TfRef t3 = c.op("Mul", t2, t);
    // (a+2)t^3 - (a+3)t^2 + 1 for t <= 1; a t^3 - 5a t^2 + 8a t - 4a for 1 < t < 2; 0 beyond.
    TfRef near = c.op("AddV2", c.op("Sub", c.op("Mul", t3, c.scalarLike(t, a + 2)), c.op("Mul", t2,
        c.scalarLike(t, a + 3))), one);
    TfRef far = c.op("AddV2", c.op("Sub", c.op("Mul", t3, c.scalarLike(t, a)), c.op("Mul", t2, c.scalarLike(t, 5 * a))),
        c.op("Sub", c.op("Mul", t, c.scalarLike(t, 8 * a)), c.scalarLike(t, 4 * a)));
    TfRef zero = c.op("ZerosLike", t);
    TfRef outer = NnOps.select(c, NnOps.test(c, "Less", t, c.scalarLike(t, 2)), far, zero);
    return NnOps.select(c, NnOps.test(c, "LessEqual", t, one), near, outer);
  }
}
