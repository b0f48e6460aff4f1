package dev.modelbridge.tensorflow.export;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import org.tensorflow.proto.DataType;

/**
 * Resize and Upsample, every mode, as separable per-axis resampling computed at run time (scales,
 * sizes and roi are often graph inputs). Per axis, the source coordinate of each output index is
 * computed in double as ONNX defines it; nearest gathers the rounded index; linear and cubic build
 * an {@code [out, in]} weight matrix from the interpolation kernel evaluated at every input tap
 * (taps beyond the edges fold onto the edge element, as ONNX's edge padding does; antialias
 * stretches the kernel by {@code 1/scale}) and multiply. TensorFlow's ResizeBilinear family covers
 * only some of these modes, so one general construction is used for all.
 */
final class ResizeExport implements ExportRegistry.Family {

  /** The attributes that shape the resampling. */
  private record Spec(String mode, String ctm, String nearest, double cubicA, boolean exclude, double extrapolation,
      String policy, boolean antialias) {}

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("Upsample", 7, c -> resize(c, legacy(c), -1, -1, -1, attrScales(c)));
    t.add("Upsample", 9, c -> resize(c, legacy(c), -1, 1, -1, null));
    t.add("Resize", 10, c -> resize(c, legacy(c), -1, 1, -1, null));
    t.add("Resize", 11, c -> resize(c, spec(c), 1, 2, 3, null));
  }

  /** Opset 10 and Upsample: asymmetric coordinates, nearest rounding down when upsampling. */
  private static Spec legacy(ExportContext c) {
    String mode = c.attrString("mode", "nearest");
    return new Spec(mode.equals("bilinear") ? "linear" : mode, "asymmetric", "simple", -0.75, false, 0, "stretch",
        false);
  }

  private static Spec spec(ExportContext c) {
    return new Spec(c.attrString("mode", "nearest"), c.attrString("coordinate_transformation_mode", "half_pixel"),
        c.attrString("nearest_mode", "round_prefer_floor"), c.attrFloat("cubic_coeff_a", -0.75f),
        c.attrInt("exclude_outside", 0) != 0, c.attrFloat("extrapolation_value", 0f),
        c.attrString("keep_aspect_ratio_policy", "stretch"), c.attrInt("antialias", 0) != 0);
  }

  private static double[] attrScales(ExportContext c) throws OpExportException {
    return c.node().attribute("scales").filter(a -> a instanceof Attribute.FloatsAttr)
        .map(a -> ((Attribute.FloatsAttr) a).values().stream().mapToDouble(Float::doubleValue).toArray())
        .orElseThrow(() -> new OpExportException("Upsample needs the scales attribute"));
  }

  private static void resize(ExportContext c, Spec s, int roiIdx, int scalesIdx, int sizesIdx, double[] scalesAttr)
      throws OpExportException {
    if (!List.of("nearest", "linear", "cubic").contains(s.mode())) {
      throw new OpExportException("mode " + s.mode() + " is not converted");
    }
    TfRef x = c.input(0);
    int rank = c.requireRank(0);
    long[] axes = c.attrInts("axes").orElse(StatsNormExport.range(0, rank));
    for (int i = 0; i < axes.length; i++) {
      axes[i] = c.axis(axes[i], rank);
    }
    TfRef inVec = NnOps.gather(c, c.shapeOf(x), c.g().int64s(c.hint() + "/axes", axes), 0);
    TfRef inF = c.cast(inVec, DataType.DT_DOUBLE);
    boolean bySizes = sizesIdx >= 0 && c.hasInput(sizesIdx);
    TfRef scaleVec;
    TfRef outVec;
    double[] known = null; // constant per-axis scales, to skip axes that stay as they are
    if (bySizes) {
      TfRef sizes = c.cast(c.input(sizesIdx), DataType.DT_INT64);
      TfRef ratio = c.op("RealDiv", c.cast(sizes, DataType.DT_DOUBLE), inF);
      if (s.policy().equals("stretch")) {
        scaleVec = ratio;
        outVec = sizes;
        known = unchangedBySizes(c, sizesIdx, axes);
      } else {
        String op = s.policy().equals("not_larger") ? "Min" : "Max";
        TfRef one = c.reduce(op, ratio, new long[] {0}, false);
        scaleVec = c.op("Mul", c.op("OnesLike", inF), one);
        TfRef half = c.scalarLike(inF, 0.5);
        outVec = c.cast(c.op("Floor", c.op("AddV2", c.op("Mul", scaleVec, inF), half)), DataType.DT_INT64);
      }
    } else {
      if (scalesAttr != null) {
        known = scalesAttr;
        scaleVec = doubles(c, scalesAttr);
      } else {
        known = c.constantTensor(scalesIdx).map(ResizeExport::doubles).orElse(null);
        scaleVec = c.cast(c.input(scalesIdx), DataType.DT_DOUBLE);
      }
      outVec = c.cast(c.op("Floor", c.op("Mul", scaleVec, inF)), DataType.DT_INT64);
    }
    boolean crop = s.ctm().equals("tf_crop_and_resize");
    TfRef roi = crop ? c.cast(c.input(roiIdx), DataType.DT_DOUBLE) : null;
    TfRef outside = null;
    for (int k = 0; k < axes.length; k++) {
      if (!crop && known != null && known.length == axes.length && known[k] == 1.0) {
        continue;
      }
      Axis a = new Axis(axes[k], NnOps.element(c, inVec, k), NnOps.element(c, inF, k), NnOps.element(c, scaleVec, k),
          NnOps.element(c, outVec, k));
      TfRef o = c.cast(NnOps.range(c, c.g().scalar(c.hint() + "/zero", DataType.DT_INT64, 0), a.out),
          DataType.DT_DOUBLE);
      TfRef xo = ResizeCoordinates.source(c, s.ctm(), o, a.inD, a.scale, a.out,
          crop ? NnOps.element(c, roi, k) : null, crop ? NnOps.element(c, roi, axes.length + k) : null);
      if (crop) {
        TfRef out = NnOps.test(c, "LogicalOr", NnOps.test(c, "Less", xo, c.scalarLike(xo, 0)),
            NnOps.test(c, "Greater", xo, c.op("Sub", a.inD, c.scalarLike(xo, 1))));
        long[] shape = new long[rank];
        java.util.Arrays.fill(shape, 1);
        shape[(int) a.axis] = -1;
        out = NnOps.reshape(c, out, shape);
        outside = outside == null ? out : NnOps.test(c, "LogicalOr", outside, out);
      }
      x = s.mode().equals("nearest") ? nearest(c, x, a, xo, s.nearest()) : interpolate(c, x, a, xo, s, rank);
    }
    if (outside != null) {
      x = NnOps.select(c, outside, c.scalarLike(x, s.extrapolation()), x);
    }
    c.bind(0, x);
  }

  /** One resized axis: its index, input length (int64 and double), scale and output length. */
  private record Axis(long axis, TfRef in, TfRef inD, TfRef scale, TfRef out) {}

  private static TfRef nearest(ExportContext c, TfRef x, Axis a, TfRef xo, String mode) throws OpExportException {
    TfRef half = c.scalarLike(xo, 0.5);
    TfRef idx = switch (mode) {
      case "round_prefer_floor" -> c.op("Ceil", c.op("Sub", xo, half));
      case "round_prefer_ceil" -> c.op("Floor", c.op("AddV2", xo, half));
      case "floor" -> c.op("Floor", xo);
      case "ceil" -> c.op("Ceil", xo);
      // ONNX Runtime's rule before opset 11: round down when upsampling, up when downsampling.
      case "simple" -> NnOps.select(c, NnOps.test(c, "Less", a.scale, c.scalarLike(xo, 1)), c.op("Ceil", xo),
          c.op("Floor", xo));
      default -> throw new OpExportException("nearest_mode " + mode + " is not converted");
    };
    idx = clamp(c, idx, a.inD);
    return NnOps.gather(c, x, c.cast(idx, DataType.DT_INT64), a.axis);
  }

  /** Linear or cubic: {@code x} times the {@code [out, in]} weights along the axis. */
  private static TfRef interpolate(ExportContext c, TfRef x, Axis a, TfRef xo, Spec s, int rank)
      throws OpExportException {
    if (x.dtype() != DataType.DT_FLOAT && x.dtype() != DataType.DT_DOUBLE) {
      throw new OpExportException(s.mode() + " resizing of " + x.dtype() + " is not converted");
    }
    boolean cubic = s.mode().equals("cubic");
    TfRef one = c.scalarLike(xo, 1);
    TfRef stretch = s.antialias() ? c.op("Minimum", a.scale, one) : one;
    // Taps far enough past each edge for the (stretched) kernel's support, folded onto the edges below.
    TfRef margin = c.op("AddV2", c.cast(c.op("Ceil", c.op("RealDiv", c.scalarLike(xo, cubic ? 2 : 1), stretch)),
        DataType.DT_INT64), c.g().scalar(c.hint() + "/two", DataType.DT_INT64, 2));
    TfRef taps = c.cast(NnOps.range(c, c.op("Neg", margin), c.op("AddV2", a.in, margin)), DataType.DT_DOUBLE);
    TfRef d = c.op("Sub", NnOps.expandDims(c, taps, 0), NnOps.expandDims(c, xo, 1));
    TfRef w = ResizeCoordinates.kernel(c, c.op("Abs", c.op("Mul", d, stretch)), cubic, s.cubicA());
    if (s.exclude()) {
      TfRef outside = NnOps.test(c, "LogicalOr", NnOps.test(c, "Less", taps, c.scalarLike(xo, 0)),
          NnOps.test(c, "Greater", taps, c.op("Sub", a.inD, one)));
      w = NnOps.select(c, NnOps.expandDims(c, outside, 0), c.scalarLike(w, 0), w);
    }
    if (s.exclude() || s.antialias()) {
      w = c.op("DivNoNan", w, c.reduce("Sum", w, new long[] {1}, true));
    }
    TfRef source = c.cast(NnOps.range(c, c.g().scalar(c.hint() + "/zero", DataType.DT_INT64, 0), a.in),
        DataType.DT_DOUBLE);
    TfRef fold = c.cast(NnOps.test(c, "Equal", NnOps.expandDims(c, clamp(c, taps, a.inD), 1),
        NnOps.expandDims(c, source, 0)), DataType.DT_DOUBLE);
    TfRef weights = c.cast(NnOps.matmul(c, w, fold, false), x.dtype());
    if (a.axis == rank - 1) {
      return NnOps.matmul(c, x, weights, true);
    }
    if (a.axis == rank - 2) {
      return NnOps.matmul(c, weights, x, false);
    }
    long[] perm = NnOps.axisLast(rank, a.axis);
    TfRef y = NnOps.matmul(c, c.transpose(x, perm), weights, true);
    return c.transpose(y, NnOps.inverse(perm));
  }

  /** {@code v} clamped to {@code [0, length - 1]}. */
  private static TfRef clamp(ExportContext c, TfRef v, TfRef length) {
    TfRef hi = c.op("Sub", length, c.scalarLike(length, 1));
    return c.op("Minimum", c.op("Maximum", v, c.scalarLike(v, 0)), hi);
  }

  /** Per-axis markers for constant sizes that equal known input dims (1.0: unchanged). */
  private static double[] unchangedBySizes(ExportContext c, int sizesIdx, long[] axes) {
    Optional<long[]> sizes = c.constantInts(sizesIdx);
    Optional<long[]> dims = c.dims(0);
    if (sizes.isEmpty() || dims.isEmpty() || sizes.get().length != axes.length) {
      return null;
    }
    double[] out = new double[axes.length];
    for (int k = 0; k < axes.length; k++) {
      long in = dims.get()[(int) axes[k]];
      out[k] = in >= 0 && in == sizes.get()[k] ? 1.0 : 0.0;
    }
    return out;
  }

  private static double[] doubles(Tensor t) {
    ByteBuffer b = t.data().bytes().order(ByteOrder.LITTLE_ENDIAN);
    double[] out = new double[(int) t.elementCount()];
    for (int i = 0; i < out.length; i++) {
      if (t.elementType() == ElementType.FLOAT) {
        out[i] = b.getFloat();
      } else if (t.elementType() == ElementType.DOUBLE) {
        out[i] = b.getDouble();
      } else {
        return null;
      }
    }
    return out;
  }

  private static TfRef doubles(ExportContext c, double[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double d : v) {
      b.putDouble(d);
    }
    return c.g().constant(c.hint() + "/scales", DataType.DT_DOUBLE, new long[] {v.length}, b.flip());
  }
}
