package dev.modelbridge.tensorflow.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.tensorflow.proto.DataType;

/**
 * Slice with starts, ends or steps fed at run time (axes constant): StridedSlice wants one entry
 * per axis, so the given values are scattered into full-length vectors and the axes not sliced
 * are taken whole through the masks.
 */
final class DynamicSlice {
  private DynamicSlice() {}

  static void emit(ExportContext c) throws OpExportException {
    int rank = c.requireRank(0);
    long[] axes = c.constantInts(3).orElse(null);
    if (axes == null) {
      long[] len = c.dims(1).filter(d -> d.length == 1 && d[0] >= 0)
          .orElseThrow(() -> new OpExportException("the length of starts is not known"));
      axes = new long[(int) len[0]];
      for (int i = 0; i < axes.length; i++) {
        axes[i] = i;
      }
    }
    long untouched = (1L << rank) - 1;
    ByteBuffer idx = ByteBuffer.allocate(axes.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long a : axes) {
      long n = c.axis(a, rank);
      idx.putLong(n);
      untouched &= ~(1L << n);
    }
    TfRef indices = c.g().constant(c.hint() + "/axes", DataType.DT_INT64, new long[] {axes.length, 1}, idx.flip());
    TfRef begin = scatter(c, indices, c.input(1), rank, 0);
    TfRef end = scatter(c, indices, c.input(2), rank, 0);
    TfRef strides = c.hasInput(4) ? scatter(c, indices, c.input(4), rank, 1) : c.g().int64s(c.hint() + "/ones", ones(rank));
    TfRef x = c.input(0);
    c.bind(0, c.g().op("StridedSlice", c.hint()).input(x).input(begin).input(end).input(strides)
        .attr("T", x.dtype()).attr("Index", DataType.DT_INT64).attr("begin_mask", untouched)
        .attr("end_mask", untouched).output(x.dtype()));
  }

  /**
   * Axes fed at run time too: the axes not sliced cannot be masked statically, so they are taken
   * whole from begin 0 to their dimension, and the given values are scattered over those.
   */
  static void emitDynamicAxes(ExportContext c) throws OpExportException {
    TfRef x = c.input(0);
    int rank = c.requireRank(0);
    TfRef axes = TfMath.wrap(c, c.input(3), c.g().scalar(c.hint() + "/rank", DataType.DT_INT64, rank));
    TfRef indices = c.reshape(axes, c.g().int64s(c.hint() + "/col", -1, 1));
    TfRef begin = scatter(c, indices, c.input(1), rank, 0);
    TfRef end = scatter(c, indices, c.input(2), c.shapeOf(x));
    TfRef strides = c.hasInput(4) ? scatter(c, indices, c.input(4), rank, 1) : c.g().int64s(c.hint() + "/ones", ones(rank));
    c.bind(0, c.g().op("StridedSlice", c.hint()).input(x).input(begin).input(end).input(strides)
        .attr("T", x.dtype()).attr("Index", DataType.DT_INT64).output(x.dtype()));
  }

  private static TfRef scatter(ExportContext c, TfRef indices, TfRef values, int rank, long fill) {
    long[] base = new long[rank];
    java.util.Arrays.fill(base, fill);
    return scatter(c, indices, values, c.g().int64s(c.hint() + "/base", base));
  }

  private static TfRef scatter(ExportContext c, TfRef indices, TfRef values, TfRef base) {
    return c.g().op("TensorScatterUpdate", c.hint() + "/scatter").input(base)
        .input(indices).input(c.cast(values, DataType.DT_INT64)).attr("T", DataType.DT_INT64)
        .attr("Tindices", DataType.DT_INT64).output(DataType.DT_INT64);
  }

  private static long[] ones(int n) {
    long[] a = new long[n];
    java.util.Arrays.fill(a, 1);
    return a;
  }
}
