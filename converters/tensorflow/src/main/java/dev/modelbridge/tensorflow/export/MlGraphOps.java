package dev.modelbridge.tensorflow.export;

import java.util.List;
import org.tensorflow.proto.DataType;

/**
 * Small emitting helpers for the transformer, loss and quantisation handlers: shapes read at run
 * time (so batch and sequence lengths may be symbolic), index ranges, tiling and selection.
 */
final class MlGraphOps {
  private MlGraphOps() {}

  /** Dimension {@code i} of {@code x} (negative from the end) as an int64 scalar, read at run time. */
  static TfRef dim(ExportContext c, TfRef x, long i) {
    return c.g().op("StridedSlice", c.hint() + "/dim").input(c.shapeOf(x)).input(c.g().int64s(c.hint() + "/b", i))
        .input(c.g().int64s(c.hint() + "/e", i + 1)).input(c.g().int64s(c.hint() + "/s", 1))
        .attr("T", DataType.DT_INT64).attr("Index", DataType.DT_INT64).attr("end_mask", i == -1 ? 1L : 0L)
        .attr("shrink_axis_mask", 1L).output(DataType.DT_INT64);
  }

  /** Stacks int64 scalars into one shape vector. */
  static TfRef shape(ExportContext c, List<TfRef> parts) {
    TfGraph.Node n = c.g().op("Pack", c.hint() + "/shape");
    parts.forEach(n::input);
    return n.attr("N", (long) parts.size()).attr("T", DataType.DT_INT64).attr("axis", 0L).output(DataType.DT_INT64);
  }

  /** An int64 scalar constant. */
  static TfRef i64(ExportContext c, long v) {
    return c.g().scalar(c.hint() + "/i", DataType.DT_INT64, v);
  }

  /** {@code [0, 1, ..., limit-1]} as int64; {@code limit} an int64 scalar. */
  static TfRef range(ExportContext c, TfRef limit) {
    return TfMath.range(c, i64(c, 0), limit, i64(c, 1));
  }

  /** Concatenation along {@code axis} of same-dtype tensors. */
  static TfRef concat(ExportContext c, long axis, TfRef... xs) {
    return TfMath.concat(c, axis, xs);
  }

  static TfRef tile(ExportContext c, TfRef x, long... multiples) {
    return c.g().op("Tile", c.hint() + "/Tile").input(x).input(c.g().int64s(c.hint() + "/multiples", multiples))
        .attr("T", x.dtype()).attr("Tmultiples", DataType.DT_INT64).output(x.dtype());
  }

  /** A tensor of {@code dims} (int64 vector) filled with the scalar {@code value}. */
  static TfRef fill(ExportContext c, TfRef dims, TfRef value) {
    return c.g().op("Fill", c.hint() + "/Fill").input(dims).input(value).attr("T", value.dtype())
        .attr("index_type", DataType.DT_INT64).output(value.dtype());
  }

  static TfRef batchMatMul(ExportContext c, TfRef a, TfRef b, boolean adjA, boolean adjB) {
    return c.g().op("BatchMatMulV2", c.hint() + "/BatchMatMulV2").input(a).input(b).attr("T", a.dtype())
        .attr("adj_x", adjA).attr("adj_y", adjB).output(a.dtype());
  }

  /** Comparison producing bool. */
  static TfRef compare(ExportContext c, String op, TfRef a, TfRef b) {
    return c.op(op, a, b).as(DataType.DT_BOOL);
  }

  /** Gathers along {@code axis} (batch_dims 0). */
  static TfRef gather(ExportContext c, TfRef params, TfRef indices, long axis) {
    return c.g().op("GatherV2", c.hint() + "/GatherV2").input(params).input(indices)
        .input(c.g().scalar(c.hint() + "/axis", DataType.DT_INT64, axis)).attr("Tparams", params.dtype())
        .attr("Tindices", indices.dtype()).attr("Taxis", DataType.DT_INT64).attr("batch_dims", 0L)
        .output(params.dtype());
  }

  /** {@code cond ? a : b} with broadcasting. */
  static TfRef select(ExportContext c, TfRef cond, TfRef a, TfRef b) {
    return ElementwiseExport.select(c, cond, a, b);
  }
}
