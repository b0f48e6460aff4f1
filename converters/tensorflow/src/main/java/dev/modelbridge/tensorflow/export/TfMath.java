package dev.modelbridge.tensorflow.export;

import org.tensorflow.proto.DataType;

/**
 * Small graph-building blocks the tensor, index and activation families share: scalars of any
 * float type, single dimensions, index ranges and broadcast coordinate grids.
 */
final class TfMath {
  private TfMath() {}

  /** A scalar of {@code dtype}; half-precision scalars are cast from float, which has a constant form. */
  static TfRef scalar(ExportContext c, DataType dtype, double v) {
    if (dtype == DataType.DT_HALF || dtype == DataType.DT_BFLOAT16) {
      return c.cast(c.g().scalar(c.hint() + "/c", DataType.DT_FLOAT, v), dtype);
    }
    return c.g().scalar(c.hint() + "/c", dtype, v);
  }

  static TfRef like(ExportContext c, TfRef x, double v) {
    return scalar(c, x.dtype(), v);
  }

  /** Dimension {@code axis} (non-negative) of {@code x} as an int64 scalar. */
  static TfRef dim(ExportContext c, TfRef x, long axis) {
    return element(c, c.shapeOf(x), axis);
  }

  /** Element {@code i} of vector {@code v} as a scalar. */
  static TfRef element(ExportContext c, TfRef v, long i) {
    return c.g().op("StridedSlice", c.hint() + "/elem").input(v).input(c.g().int64s(c.hint() + "/b", i))
        .input(c.g().int64s(c.hint() + "/e", i + 1)).input(c.g().int64s(c.hint() + "/s", 1))
        .attr("T", v.dtype()).attr("Index", DataType.DT_INT64).attr("shrink_axis_mask", 1L).output(v.dtype());
  }

  /** {@code [start, limit)} by {@code delta}, all scalars of one dtype. */
  static TfRef range(ExportContext c, TfRef start, TfRef limit, TfRef delta) {
    return c.g().op("Range", c.hint() + "/Range").input(start).input(limit).input(delta)
        .attr("Tidx", start.dtype()).output(start.dtype());
  }

  /** {@code [0, n)} as int64 for an int64 scalar {@code n}. */
  static TfRef iota(ExportContext c, TfRef n) {
    return range(c, c.g().scalar(c.hint() + "/zero", DataType.DT_INT64, 0), n,
        c.g().scalar(c.hint() + "/one", DataType.DT_INT64, 1));
  }

  /** {@code v} reshaped to a scalar (ONNX often passes scalars as one-element vectors). */
  static TfRef toScalar(ExportContext c, TfRef v) {
    return c.reshape(v, c.g().constant(c.hint() + "/scalar", DataType.DT_INT32, new long[] {0},
        java.nio.ByteBuffer.allocate(0)));
  }

  /** Concatenation along {@code axis}. */
  static TfRef concat(ExportContext c, long axis, TfRef... parts) {
    TfGraph.Node n = c.g().op("ConcatV2", c.hint() + "/concat");
    for (TfRef p : parts) {
      n.input(p);
    }
    return n.input(c.g().scalar(c.hint() + "/axis", DataType.DT_INT32, axis)).attr("N", (long) parts.length)
        .attr("T", parts[0].dtype()).attr("Tidx", DataType.DT_INT32).output(parts[0].dtype());
  }

  /**
   * The coordinate along axis {@code j} of every element of a tensor of shape {@code shape}
   * (int64 vector of static length {@code rank}), as an int64 tensor of that shape.
   */
  static TfRef coordinate(ExportContext c, TfRef shape, int rank, int j) {
    long[] dims = new long[rank];
    java.util.Arrays.fill(dims, 1);
    dims[j] = -1;
    TfRef r = c.reshape(iota(c, element(c, shape, j)), c.g().int64s(c.hint() + "/dims", dims));
    return c.g().op("BroadcastTo", c.hint() + "/grid").input(r).input(shape).attr("T", DataType.DT_INT64)
        .attr("Tidx", DataType.DT_INT64).output(DataType.DT_INT64);
  }

  /** {@code parts} (all of one shape) stacked along a new last axis. */
  static TfRef stackLast(ExportContext c, java.util.List<TfRef> parts) {
    return c.g().op("Pack", c.hint() + "/Pack").inputs(parts).attr("N", (long) parts.size())
        .attr("T", parts.get(0).dtype()).attr("axis", -1L).output(parts.get(0).dtype());
  }

  /** Negative indices wrapped by the (int64 scalar or vector) {@code size}, as ONNX allows them. */
  static TfRef wrap(ExportContext c, TfRef indices, TfRef size) {
    TfRef i = c.cast(indices, DataType.DT_INT64);
    TfRef neg = c.op("Less", i, c.g().scalar(c.hint() + "/zero", DataType.DT_INT64, 0)).as(DataType.DT_BOOL);
    return ElementwiseExport.select(c, neg, c.op("AddV2", i, size), i);
  }

  /** The rank of {@code x} at run time as an int64 scalar. */
  static TfRef rank(ExportContext c, TfRef x) {
    TfRef r = c.g().op("Rank", c.hint() + "/Rank").input(x).attr("T", x.dtype()).output(DataType.DT_INT32);
    return c.cast(r, DataType.DT_INT64);
  }

  /**
   * A bool vector of length {@code rank} (int64 scalar), true at the positions {@code axes} (a
   * run-time vector, negative counted from the end) names; with {@code emptyMeansAll} an empty
   * {@code axes} marks every position.
   */
  static TfRef axisMask(ExportContext c, TfRef rank, TfRef axes, boolean emptyMeansAll) {
    TfRef flat = c.reshape(c.cast(axes, DataType.DT_INT64), c.g().int64s(c.hint() + "/row", 1, -1));
    TfRef wrapped = c.op("FloorMod", flat, rank);
    TfRef positions = c.reshape(iota(c, rank), c.g().int64s(c.hint() + "/col", -1, 1));
    TfRef hit = c.op("Equal", positions, wrapped).as(DataType.DT_BOOL);
    TfRef any = c.g().op("Any", c.hint() + "/Any").input(hit).input(c.g().int32s(c.hint() + "/ax", 1))
        .attr("Tidx", DataType.DT_INT32).attr("keep_dims", false).output(DataType.DT_BOOL);
    if (!emptyMeansAll) {
      return any;
    }
    TfRef n = c.g().op("Size", c.hint() + "/Size").input(flat).attr("T", DataType.DT_INT64)
        .attr("out_type", DataType.DT_INT64).output(DataType.DT_INT64);
    TfRef empty = c.op("Equal", n, c.g().scalar(c.hint() + "/zero", DataType.DT_INT64, 0)).as(DataType.DT_BOOL);
    return TypeExport.logical(c, "LogicalOr", any, empty);
  }

  /** The positions where bool vector {@code mask} is true, as an int64 vector. */
  static TfRef where(ExportContext c, TfRef mask) {
    TfRef w = c.g().op("Where", c.hint() + "/Where").input(mask).attr("T", DataType.DT_BOOL).output(DataType.DT_INT64);
    return c.reshape(w, c.g().int64s(c.hint() + "/flat", -1));
  }

  /** {@code x} gathered at {@code idx} along {@code axis}. */
  static TfRef gather(ExportContext c, TfRef x, TfRef idx, long axis) {
    return c.g().op("GatherV2", c.hint() + "/Gather").input(x).input(idx)
        .input(c.g().scalar(c.hint() + "/axis", DataType.DT_INT64, axis)).attr("Tparams", x.dtype())
        .attr("Tindices", idx.dtype()).attr("Taxis", DataType.DT_INT64).attr("batch_dims", 0L).output(x.dtype());
  }
}
