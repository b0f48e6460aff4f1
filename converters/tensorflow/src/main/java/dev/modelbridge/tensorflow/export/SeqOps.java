package dev.modelbridge.tensorflow.export;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.proto.DataType;

/**
 * Small emitting helpers shared by the recurrent, detection and signal families: taking one slice
 * of the first axis, splitting, stacking, matrix products and selection.
 */
final class SeqOps {
  private SeqOps() {
  }

  /** {@code x[i]}: the first axis indexed and removed. */
  static TfRef index(ExportContext c, TfRef x, long i) {
    return c.g().op("StridedSlice", c.hint() + "/index").input(x).input(c.g().int64s(c.hint() + "/b", i))
        .input(c.g().int64s(c.hint() + "/e", i + 1)).input(c.g().int64s(c.hint() + "/s", 1))
        .attr("T", x.dtype()).attr("Index", DataType.DT_INT64).attr("shrink_axis_mask", 1L).output(x.dtype());
  }

  /** {@code x[..., i]}: the last axis indexed and removed. */
  static TfRef indexLast(ExportContext c, TfRef x, long i) {
    return c.g().op("StridedSlice", c.hint() + "/index_last").input(x)
        .input(c.g().int64s(c.hint() + "/b", 0, i)).input(c.g().int64s(c.hint() + "/e", 0, i + 1))
        .input(c.g().int64s(c.hint() + "/s", 1, 1)).attr("T", x.dtype()).attr("Index", DataType.DT_INT64)
        .attr("ellipsis_mask", 1L).attr("shrink_axis_mask", 2L).output(x.dtype());
  }

  /** {@code n} equal parts of {@code x} along {@code axis}. */
  static List<TfRef> split(ExportContext c, TfRef x, long axis, int n) {
    TfRef first = c.g().op("Split", c.hint() + "/Split").input(c.g().scalar(c.hint() + "/split_dim", DataType.DT_INT32, axis))
        .input(x).attr("num_split", (long) n).attr("T", x.dtype()).output(x.dtype());
    List<TfRef> parts = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      parts.add(new TfRef(first.node(), k, x.dtype()));
    }
    return parts;
  }

  /** The tensors stacked along a new axis {@code axis}. */
  static TfRef pack(ExportContext c, List<TfRef> parts, long axis) {
    return c.g().op("Pack", c.hint() + "/Pack").inputs(parts).attr("N", (long) parts.size())
        .attr("T", parts.get(0).dtype()).attr("axis", axis).output(parts.get(0).dtype());
  }

  /** The tensors joined along the existing axis {@code axis}. */
  static TfRef concat(ExportContext c, List<TfRef> parts, long axis) {
    return TfMath.concat(c, axis, parts.toArray(TfRef[]::new));
  }

  /** {@code a b} or {@code a b^T} of two matrices. */
  static TfRef matmul(ExportContext c, TfRef a, TfRef b, boolean transposeB) {
    return c.g().op("MatMul", c.hint() + "/MatMul").input(a).input(b).attr("T", a.dtype())
        .attr("transpose_a", false).attr("transpose_b", transposeB).output(a.dtype());
  }

  /** {@code cond ? a : b} with broadcasting. */
  static TfRef select(ExportContext c, TfRef cond, TfRef a, TfRef b) {
    return c.g().op("SelectV2", c.hint() + "/Select").input(cond).input(a).input(b).attr("T", a.dtype())
        .output(a.dtype());
  }

  /** A binary op whose output dtype differs from its inputs' (Less, Equal...). */
  static TfRef compare(ExportContext c, String op, TfRef a, TfRef b) {
    return c.g().op(op, c.hint() + "/" + op).input(a).input(b).attr("T", a.dtype()).output(DataType.DT_BOOL);
  }

  /** A 0-D view of a 0-D or one-element tensor. */
  static TfRef scalar(ExportContext c, TfRef x) {
    return c.reshape(x, c.g().int32s(c.hint() + "/scalar_shape"));
  }

  /** {@code [start, limit)} with step {@code delta}, all scalars of one dtype. */
  static TfRef range(ExportContext c, TfRef start, TfRef limit, TfRef delta) {
    return TfMath.range(c, start, limit, delta);
  }
}
