package dev.modelbridge.tensorflow.export;

import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Tensor;
import java.util.Arrays;
import java.util.Optional;
import org.tensorflow.proto.DataType;

/** Ops that move data without arithmetic: Reshape, Flatten, Transpose, Squeeze, Unsqueeze, Expand... */
final class ShapeExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("Identity", 1, c -> c.bind(0, c.op("Identity", c.input(0))));
    t.add("Dropout", 1, ShapeExport::dropout);
    t.add("Cast", 1, c -> c.bind(0, c.cast(c.input(0), ExportContext.dtype(ElementType.fromCode((int) c.attrInt("to", 0))
        .orElseThrow(() -> new OpExportException("unknown element type " + c.attrInt("to", 0)))))));
    t.add("Constant", 1, ShapeExport::constant);
    t.add("Shape", 1, ShapeExport::shape);
    t.add("Reshape", 5, ShapeExport::reshape);
    t.add("Flatten", 1, ShapeExport::flatten);
    t.add("Transpose", 1, ShapeExport::transpose);
    t.add("Squeeze", 1, c -> squeeze(c, c.attrInts("axes")));
    t.add("Squeeze", 13, c -> squeeze(c, c.constantInts(1)));
    t.add("Unsqueeze", 1, c -> unsqueeze(c, c.attrInts("axes").orElse(new long[0])));
    t.add("Unsqueeze", 13, c -> {
      // Constant axes on an input of unknown rank take the run-time path, which needs no rank.
      if (c.constantInts(1).isEmpty() || c.rank(0).isEmpty()) {
        dynamicUnsqueeze(c);
      } else {
        unsqueeze(c, c.requireConstantInts(1, "axes"));
      }
    });
    t.add("Expand", 8, ShapeExport::expand);
  }

  private static void dropout(ExportContext c) throws OpExportException {
    if (c.attrInt("is_test", 1) == 0 && c.opset() < 7
        || c.hasInput(2) && !c.constantInts(2).map(v -> v.length == 1 && v[0] == 0).orElse(false)
            && !isFalse(c, 2)) {
      throw new OpExportException("training mode is not converted, only inference");
    }
    TfRef x = c.input(0);
    c.bind(0, c.op("Identity", x));
    if (c.hasOutput(1)) {
      c.bind(1, c.cast(c.op("OnesLike", x), DataType.DT_BOOL));
    }
  }

  private static boolean isFalse(ExportContext c, int i) {
    return c.constantBools(i).map(v -> v.length == 1 && !v[0]).orElse(false);
  }

  private static void constant(ExportContext c) throws OpExportException {
    Tensor t = c.attrTensor("value").orElse(null);
    if (t == null) {
      Optional<long[]> ints = c.attrInts("value_ints");
      if (c.node().attribute("value_float").isPresent()) {
        t = Tensor.ofFloats("", new long[0], c.attrFloat("value_float", 0));
      } else if (c.node().attribute("value_int").isPresent()) {
        t = Tensor.ofInt64s("", new long[0], c.attrInt("value_int", 0));
      } else if (ints.isPresent()) {
        t = Tensor.ofInt64s("", new long[] {ints.get().length}, ints.get());
      } else if (c.node().attribute("value_floats").orElse(null) instanceof dev.modelbridge.ir.Attribute.FloatsAttr f) {
        float[] v = new float[f.values().size()];
        for (int i = 0; i < v.length; i++) {
          v[i] = f.values().get(i);
        }
        t = Tensor.ofFloats("", new long[] {v.length}, v);
      } else {
        throw new OpExportException("only numeric constants are converted");
      }
    }
    c.bind(0, c.g().constant(c.hint(), ExportContext.dtype(t.elementType()), t.dims(), t.data().bytes()));
    c.bindConstant(0, t);
  }

  private static void shape(ExportContext c) throws OpExportException {
    TfRef s = c.shapeOf(c.input(0));
    long start = c.attrInt("start", 0);
    Optional<Long> end = c.node().attribute("end").map(a -> c.attrInt("end", 0));
    if (start != 0 || end.isPresent()) {
      s = slice(c, s, start, end.orElse(Long.MAX_VALUE), end.isEmpty());
    }
    c.bind(0, s);
  }

  /** {@code v[begin:end]} of a vector; {@code toEnd} ignores {@code end}. */
  static TfRef slice(ExportContext c, TfRef v, long begin, long end, boolean toEnd) {
    return c.g().op("StridedSlice", c.hint() + "/StridedSlice").input(v).input(c.g().int64s(c.hint() + "/begin", begin))
        .input(c.g().int64s(c.hint() + "/end", toEnd ? 0 : end)).input(c.g().int64s(c.hint() + "/strides", 1))
        .attr("T", v.dtype()).attr("Index", DataType.DT_INT64).attr("end_mask", toEnd ? 1L : 0L).output(v.dtype());
  }

  /** ONNX's 0 copies the input's dimension (unless allowzero): substituted from the input's shape. */
  private static void reshape(ExportContext c) throws OpExportException {
    TfRef x = c.input(0);
    Optional<long[]> target = c.constantInts(1);
    if (target.isEmpty() && c.attrInt("allowzero", 0) == 0) {
      // A shape fed at run time may hold 0s too: copy those from the input's shape, padded with
      // zeros in case the target is longer than the input's rank.
      TfRef s = c.cast(c.input(1), DataType.DT_INT64);
      TfRef length = c.reshape(c.g().op("Size", c.hint() + "/n").input(s).attr("T", DataType.DT_INT64)
          .attr("out_type", DataType.DT_INT64).output(DataType.DT_INT64), c.g().int64s(c.hint() + "/one", 1));
      TfRef padded = TfMath.concat(c, 0, c.shapeOf(x), c.op("ZerosLike", s));
      TfRef dims = c.g().op("Slice", c.hint() + "/dims").input(padded).input(c.g().int64s(c.hint() + "/zero", 0))
          .input(length).attr("T", DataType.DT_INT64).attr("Index", DataType.DT_INT64).output(DataType.DT_INT64);
      TfRef zero = c.op("Equal", s, c.g().int64s(c.hint() + "/zero", 0)).as(DataType.DT_BOOL);
      c.bind(0, c.reshape(x, ElementwiseExport.select(c, zero, dims, s)));
      return;
    }
    if (target.isEmpty() || c.attrInt("allowzero", 0) != 0 || Arrays.stream(target.get()).noneMatch(v -> v == 0)) {
      c.bind(0, c.reshape(x, target.isPresent() ? c.g().int64s(c.hint() + "/shape", target.get()) : c.input(1)));
      return;
    }
    long[] s = target.get();
    // The input's shape, padded with zeros in case the target is longer than its rank (e.g. [0, 0, -1]
    // on a matrix): a 0 copies only positions the input has, so the padding is never selected for a valid model.
    TfRef padded = TfMath.concat(c, 0, c.shapeOf(x), c.g().int64s(c.hint() + "/pad", new long[s.length]));
    TfRef dims = slice(c, padded, 0, s.length, false);
    java.nio.ByteBuffer mask = java.nio.ByteBuffer.allocate(s.length);
    for (long v : s) {
      mask.put((byte) (v == 0 ? 1 : 0));
    }
    TfRef cond = c.g().constant(c.hint() + "/copy", DataType.DT_BOOL, new long[] {s.length}, mask.flip());
    c.bind(0, c.reshape(x, ElementwiseExport.select(c, cond, dims, c.g().int64s(c.hint() + "/shape", s))));
  }

  private static void flatten(ExportContext c) throws OpExportException {
    long axis = c.attrInt("axis", 1);
    if (axis < 0) {
      axis += c.requireRank(0);
    }
    c.bind(0, flatten2d(c, c.input(0), axis));
  }

  /** {@code x} as a matrix {@code [prod(dims[:axis]), prod(dims[axis:])]}. */
  static TfRef flatten2d(ExportContext c, TfRef x, long axis) {
    TfRef head = slice(c, c.shapeOf(x), 0, axis, false);
    TfRef rows = c.reduce("Prod", head, new long[] {0}, true);
    TfRef shape = c.g().op("ConcatV2", c.hint() + "/shape2d").input(rows).input(c.g().int64s(c.hint() + "/rest", -1))
        .input(c.g().scalar(c.hint() + "/axis", DataType.DT_INT32, 0)).attr("N", 2L).attr("T", DataType.DT_INT64)
        .attr("Tidx", DataType.DT_INT32).output(DataType.DT_INT64);
    return c.reshape(x, shape);
  }

  private static void transpose(ExportContext c) throws OpExportException {
    Optional<long[]> perm = c.attrInts("perm");
    long[] p = perm.isPresent() ? perm.get() : null;
    if (p == null) {
      int rank = c.requireRank(0);
      p = new long[rank];
      for (int i = 0; i < rank; i++) {
        p[i] = rank - 1 - i;
      }
    }
    c.bind(0, c.transpose(c.input(0), p));
  }

  private static void squeeze(ExportContext c, Optional<long[]> axes) throws OpExportException {
    if (c.hasInput(1) && axes.isEmpty()) {
      // Axes fed at run time: keep the dimensions they do not name.
      TfRef x = c.input(0);
      TfRef keep = TypeExport.logical(c, "LogicalNot", TfMath.axisMask(c, TfMath.rank(c, x), c.input(1), false));
      c.bind(0, c.reshape(x, TfMath.gather(c, c.shapeOf(x), TfMath.where(c, keep), 0)));
      return;
    }
    c.bind(0, MatrixExport.squeeze(c, c.input(0), axes.orElse(new long[0])));
  }

  /**
   * Axes fed at run time: output position {@code i} is 1 where the axes name it, else the next
   * input dimension (found by counting the positions not named before it).
   */
  private static void dynamicUnsqueeze(ExportContext c) throws OpExportException {
    TfRef x = c.input(0);
    TfRef axes = c.input(1);
    TfRef count = c.g().op("Size", c.hint() + "/n").input(axes).attr("T", axes.dtype())
        .attr("out_type", DataType.DT_INT64).output(DataType.DT_INT64);
    TfRef outRank = c.op("AddV2", TfMath.rank(c, x), count);
    TfRef mask = TfMath.axisMask(c, outRank, axes, false);
    TfRef kept = c.cast(TypeExport.logical(c, "LogicalNot", mask), DataType.DT_INT64);
    TfRef one = c.g().int64s(c.hint() + "/one", 1);
    TfRef source = c.g().op("Cumsum", c.hint() + "/Cumsum").input(kept)
        .input(c.g().scalar(c.hint() + "/axis", DataType.DT_INT32, 0)).attr("T", DataType.DT_INT64)
        .attr("Tidx", DataType.DT_INT32).attr("exclusive", true).attr("reverse", false).output(DataType.DT_INT64);
    // A trailing 1 keeps the gather in range for a scalar input, whose shape is empty.
    TfRef dims = TfMath.gather(c, TfMath.concat(c, 0, c.shapeOf(x), one), source, 0);
    c.bind(0, c.reshape(x, ElementwiseExport.select(c, mask, one, dims)));
  }

  private static void unsqueeze(ExportContext c, long[] axes) throws OpExportException {
    int outRank = c.requireRank(0) + axes.length;
    long[] sorted = new long[axes.length];
    for (int i = 0; i < axes.length; i++) {
      sorted[i] = c.axis(axes[i], outRank);
    }
    Arrays.sort(sorted);
    TfRef y = c.input(0);
    for (long a : sorted) {
      y = MatrixExport.expandDims(c, y, a);
    }
    c.bind(0, axes.length == 0 ? c.op("Identity", y) : y);
  }

  /** ONNX broadcasts both ways; TensorFlow's BroadcastTo only up, so the target is broadcast first. */
  private static void expand(ExportContext c) throws OpExportException {
    TfRef x = c.input(0);
    TfRef shape = c.cast(c.input(1), DataType.DT_INT64);
    TfRef target = c.g().op("BroadcastArgs", c.hint() + "/BroadcastArgs").input(c.shapeOf(x)).input(shape)
        .attr("T", DataType.DT_INT64).output(DataType.DT_INT64);
    c.bind(0, c.g().op("BroadcastTo", c.hint()).input(x).input(target).attr("T", x.dtype())
        .attr("Tidx", DataType.DT_INT64).output(x.dtype()));
  }
}
