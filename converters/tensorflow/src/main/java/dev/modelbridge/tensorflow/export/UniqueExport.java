package dev.modelbridge.tensorflow.export;

import org.tensorflow.proto.DataType;

/**
 * Unique. TensorFlow's UniqueWithCountsV2 lists the unique slices in order of first occurrence,
 * which is ONNX's {@code sorted=0}. For {@code sorted=1} the slices are ordered lexicographically
 * by stable sorts, one per element of a slice from the last to the first (TopKV2 keeps equal keys
 * in order), and the outputs are permuted to match.
 */
final class UniqueExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("Unique", 11, UniqueExport::unique);
  }

  private static void unique(ExportContext c) throws OpExportException {
    TfRef x = c.input(0);
    int rank = c.requireRank(0);
    boolean hasAxis = c.node().attribute("axis").isPresent();
    long axis = hasAxis ? c.axis(c.attrInt("axis", 0), rank) : 0;
    if (!hasAxis) {
      x = c.reshape(x, c.g().int64s(c.hint() + "/flat", -1));
      rank = 1;
    }
    TfRef node = c.g().op("UniqueWithCountsV2", c.hint() + "/Unique").input(x)
        .input(c.g().int64s(c.hint() + "/axis", axis)).attr("T", x.dtype()).attr("Taxis", DataType.DT_INT64)
        .attr("out_idx", DataType.DT_INT64).output(x.dtype());
    TfRef y = new TfRef(node.node(), 0, x.dtype());
    TfRef inverse = new TfRef(node.node(), 1, DataType.DT_INT64);
    TfRef counts = new TfRef(node.node(), 2, DataType.DT_INT64);
    TfRef unique = c.g().op("Size", c.hint() + "/count").input(counts).attr("T", DataType.DT_INT64)
        .attr("out_type", DataType.DT_INT64).output(DataType.DT_INT64);
    // The first occurrence of each unique slice: the least position that maps to it.
    TfRef positions = TfMath.iota(c, c.g().op("Size", c.hint() + "/n").input(inverse).attr("T", DataType.DT_INT64)
        .attr("out_type", DataType.DT_INT64).output(DataType.DT_INT64));
    TfRef first = c.g().op("UnsortedSegmentMin", c.hint() + "/first").input(positions).input(inverse).input(unique)
        .attr("T", DataType.DT_INT64).attr("Tindices", DataType.DT_INT64).attr("Tnumsegments", DataType.DT_INT64)
        .output(DataType.DT_INT64);
    if (c.attrInt("sorted", 1) != 0) {
      TfRef perm = lexicographicOrder(c, y, rank, axis, c.dims(0).orElse(null), hasAxis);
      y = gather(c, y, perm, axis);
      first = gather(c, first, perm, 0);
      counts = gather(c, counts, perm, 0);
      TfRef rank0 = c.g().op("InvertPermutation", c.hint() + "/invert").input(perm).attr("T", DataType.DT_INT64)
          .output(DataType.DT_INT64);
      inverse = gather(c, rank0, inverse, 0);
    }
    c.bind(0, y);
    c.bind(1, first);
    c.bind(2, inverse);
    c.bind(3, counts);
  }

  /** The permutation that sorts the slices of {@code y} along {@code axis} lexicographically. */
  private static TfRef lexicographicOrder(ExportContext c, TfRef y, int rank, long axis, long[] dims, boolean hasAxis)
      throws OpExportException {
    long width = 1;
    long[] perm = new long[rank];
    perm[0] = axis;
    for (int i = 0, j = 1; i < rank; i++) {
      if (i != axis) {
        perm[j++] = i;
        long d = dims == null ? -1 : dims[i];
        if (d < 0) {
          throw new OpExportException("sorted Unique needs the static size of the slices");
        }
        width *= d;
      }
    }
    if (!hasAxis) {
      width = 1;
    }
    TfRef rows = c.reshape(axis == 0 ? y : c.transpose(y, perm), c.g().int64s(c.hint() + "/rows", -1, width));
    TfRef order = TfMath.iota(c, TfMath.dim(c, rows, 0));
    TfRef k = c.cast(TfMath.dim(c, rows, 0), DataType.DT_INT32);
    for (long col = width - 1; col >= 0; col--) {
      TfRef key = gather(c, gather(c, rows, c.g().scalar(c.hint() + "/col", DataType.DT_INT64, col), 1), order, 0);
      TfRef neg = ElementwiseExport.isFloat(key.dtype()) || key.dtype() == DataType.DT_INT64
          || key.dtype() == DataType.DT_INT32 ? c.op("Neg", key) : c.op("Neg", c.cast(key, DataType.DT_DOUBLE));
      TfRef top = c.g().op("TopKV2", c.hint() + "/sort").input(neg).input(k).attr("T", neg.dtype())
          .attr("sorted", true).output(neg.dtype());
      order = gather(c, order, c.cast(new TfRef(top.node(), 1, DataType.DT_INT32), DataType.DT_INT64), 0);
    }
    return order;
  }

  private static TfRef gather(ExportContext c, TfRef x, TfRef idx, long axis) {
    return c.g().op("GatherV2", c.hint() + "/Gather").input(x).input(idx)
        .input(c.g().scalar(c.hint() + "/axis", DataType.DT_INT64, axis)).attr("Tparams", x.dtype())
        .attr("Tindices", idx.dtype()).attr("Taxis", DataType.DT_INT64).attr("batch_dims", 0L).output(x.dtype());
  }
}
