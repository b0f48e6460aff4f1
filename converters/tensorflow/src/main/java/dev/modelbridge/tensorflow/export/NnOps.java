package dev.modelbridge.tensorflow.export;

import org.tensorflow.proto.DataType;

/**
 * Small emitting helpers shared by the spatial families (Resize, GridSample, pooling,
 * ConvTranspose): ops whose attrs differ from the single-{@code T} pattern of
 * {@link ExportContext#op}.
 */
final class NnOps {
  private NnOps() {}

  /** Element {@code i} of a vector, as a scalar. */
  static TfRef element(ExportContext c, TfRef v, long i) {
    return c.g().op("StridedSlice", c.hint() + "/element").input(v).input(c.g().int64s(c.hint() + "/b", i))
        .input(c.g().int64s(c.hint() + "/e", i + 1)).input(c.g().int64s(c.hint() + "/s", 1)).attr("T", v.dtype())
        .attr("Index", DataType.DT_INT64).attr("shrink_axis_mask", 1L).output(v.dtype());
  }

  /** {@code [start, limit)} with step 1, in the dtype of the scalars. */
  static TfRef range(ExportContext c, TfRef start, TfRef limit) {
    return TfMath.range(c, start, limit, c.scalarLike(start, 1));
  }

  /** {@code x[..., indices, ...]} along {@code axis}. */
  static TfRef gather(ExportContext c, TfRef x, TfRef indices, long axis) {
    return c.g().op("GatherV2", c.hint() + "/GatherV2").input(x).input(indices)
        .input(c.g().scalar(c.hint() + "/gather_axis", DataType.DT_INT64, axis)).attr("Tparams", x.dtype())
        .attr("Tindices", indices.dtype()).attr("Taxis", DataType.DT_INT64).attr("batch_dims", 0L).output(x.dtype());
  }

  /** {@code cond ? a : b}, broadcasting. */
  static TfRef select(ExportContext c, TfRef cond, TfRef a, TfRef b) {
    return c.g().op("SelectV2", c.hint() + "/SelectV2").input(cond).input(a).input(b).attr("T", a.dtype())
        .output(a.dtype());
  }

  /** A comparison or logical op: bool output. */
  static TfRef test(ExportContext c, String op, TfRef a, TfRef b) {
    if (op.startsWith("Logical")) {
      return c.g().op(op, c.hint() + "/" + op).input(a).input(b).output(DataType.DT_BOOL);
    }
    return c.op(op, a, b).as(DataType.DT_BOOL);
  }

  /** {@code a @ b}, or {@code a @ b^T} when {@code transposeB}, batched with broadcasting. */
  static TfRef matmul(ExportContext c, TfRef a, TfRef b, boolean transposeB) {
    return c.g().op("BatchMatMulV2", c.hint() + "/BatchMatMulV2").input(a).input(b).attr("T", a.dtype())
        .attr("adj_x", false).attr("adj_y", transposeB).output(a.dtype());
  }

  static TfRef expandDims(ExportContext c, TfRef x, long axis) {
    return MatrixExport.expandDims(c, x, axis);
  }

  /** {@code x} reshaped to a constant shape. */
  static TfRef reshape(ExportContext c, TfRef x, long... shape) {
    return c.reshape(x, c.g().int64s(c.hint() + "/shape", shape));
  }

  /** Concatenation along {@code axis}. */
  static TfRef concat(ExportContext c, java.util.List<TfRef> parts, long axis) {
    return TfMath.concat(c, axis, parts.toArray(TfRef[]::new));
  }

  /** The permutation that moves {@code axis} last. */
  static long[] axisLast(int rank, long axis) {
    long[] perm = new long[rank];
    int k = 0;
    for (int i = 0; i < rank; i++) {
      if (i != axis) {
        perm[k++] = i;
      }
    }
    perm[rank - 1] = axis;
    return perm;
  }

  static long[] inverse(long[] perm) {
    long[] inv = new long[perm.length];
    for (int i = 0; i < perm.length; i++) {
      inv[(int) perm[i]] = i;
    }
    return inv;
  }
}
