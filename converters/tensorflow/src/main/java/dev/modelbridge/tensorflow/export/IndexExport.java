package dev.modelbridge.tensorflow.export;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.tensorflow.proto.DataType;

/** Concat, Gather, Slice and Split. */
final class IndexExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("Concat", 1, IndexExport::concat);
    t.add("Gather", 1, IndexExport::gather);
    t.add("Slice", 1, c -> slice(c, c.attrInts("starts").orElse(null), c.attrInts("ends").orElse(null),
        c.attrInts("axes"), Optional.empty()));
    t.add("Slice", 10, IndexExport::slice10);
    t.add("Split", 1, c -> split(c, c.attrInts("split")));
    t.add("Split", 13, c -> split(c, c.constantInts(1)));
  }

  private static void concat(ExportContext c) throws OpExportException {
    List<TfRef> parts = new ArrayList<>();
    for (int i = 0; i < c.inputCount(); i++) {
      parts.add(c.input(i));
    }
    c.bind(0, c.g().op("ConcatV2", c.hint()).inputs(parts)
        .input(c.g().scalar(c.hint() + "/axis", DataType.DT_INT64, c.attrInt("axis", 0)))
        .attr("N", (long) parts.size()).attr("T", parts.get(0).dtype()).attr("Tidx", DataType.DT_INT64)
        .output(parts.get(0).dtype()));
  }

  /** ONNX allows negative indices, TensorFlow's CPU kernel does not: they are wrapped with FloorMod. */
  private static void gather(ExportContext c) throws OpExportException {
    TfRef data = c.input(0);
    TfRef indices = c.input(1);
    long axis = c.attrInt("axis", 0);
    boolean nonNegative = c.constantInts(1).map(v -> Arrays.stream(v).allMatch(i -> i >= 0)).orElse(false);
    if (!nonNegative) {
      TfRef shape = c.cast(c.shapeOf(data), indices.dtype());
      long a = axis < 0 ? c.axis(axis, c.requireRank(0)) : axis;
      TfRef dim = c.g().op("StridedSlice", c.hint() + "/dim").input(shape).input(c.g().int64s(c.hint() + "/b", a))
          .input(c.g().int64s(c.hint() + "/e", a + 1)).input(c.g().int64s(c.hint() + "/s", 1))
          .attr("T", shape.dtype()).attr("Index", DataType.DT_INT64).attr("shrink_axis_mask", 1L).output(shape.dtype());
      indices = c.op("FloorMod", indices, dim);
    }
    c.bind(0, c.g().op("GatherV2", c.hint()).input(data).input(indices)
        .input(c.g().scalar(c.hint() + "/axis", DataType.DT_INT64, axis))
        .attr("Tparams", data.dtype()).attr("Tindices", indices.dtype()).attr("Taxis", DataType.DT_INT64)
        .attr("batch_dims", 0L).output(data.dtype()));
  }

  /** A StridedSlice over every axis; the axes ONNX leaves out are taken whole through the masks. */
  private static void slice(ExportContext c, long[] starts, long[] ends, Optional<long[]> axesIn,
      Optional<long[]> stepsIn) throws OpExportException {
    if (starts == null || ends == null) {
      throw new OpExportException("starts and ends are required");
    }
    int rank = c.rank(0).isPresent() ? c.rank(0).getAsInt() : specRank(c, starts.length, axesIn);
    long[] begin = new long[rank];
    long[] end = new long[rank];
    long[] strides = new long[rank];
    Arrays.fill(strides, 1);
    long untouched = (1L << rank) - 1;
    long[] axes = axesIn.orElse(null);
    long[] steps = stepsIn.orElse(null);
    for (int i = 0; i < starts.length; i++) {
      int a = (int) c.axis(axes == null ? i : axes[i], rank);
      begin[a] = starts[i];
      end[a] = ends[i];
      strides[a] = steps == null ? 1 : steps[i];
      untouched &= ~(1L << a);
    }
    TfRef x = c.input(0);
    c.bind(0, c.g().op("StridedSlice", c.hint()).input(x).input(c.g().int64s(c.hint() + "/begin", begin))
        .input(c.g().int64s(c.hint() + "/end", end)).input(c.g().int64s(c.hint() + "/strides", strides))
        .attr("T", x.dtype()).attr("Index", DataType.DT_INT64).attr("begin_mask", untouched)
        .attr("end_mask", untouched).output(x.dtype()));
  }

  /**
   * For an input of unknown rank: StridedSlice takes the axes after its vectors whole, so vectors
   * up to the last sliced axis do when no axis counts from the end.
   */
  private static int specRank(ExportContext c, int count, Optional<long[]> axes) throws OpExportException {
    if (axes.isEmpty()) {
      return count;
    }
    long max = -1;
    for (long a : axes.get()) {
      if (a < 0) {
        c.requireRank(0);
      }
      max = Math.max(max, a);
    }
    return (int) max + 1;
  }

  private static void slice10(ExportContext c) throws OpExportException {
    Optional<long[]> starts = c.constantInts(1);
    Optional<long[]> ends = c.constantInts(2);
    if (starts.isPresent() && ends.isPresent() && (!c.hasInput(4) || c.constantInts(4).isPresent())) {
      slice(c, starts.get(), ends.get(), c.constantInts(3), c.constantInts(4));
      return;
    }
    if (c.hasInput(3) && c.constantInts(3).isEmpty()) {
      DynamicSlice.emitDynamicAxes(c);
      return;
    }
    DynamicSlice.emit(c);
  }

  private static void split(ExportContext c, Optional<long[]> sizes) throws OpExportException {
    TfRef x = c.input(0);
    long axis = c.attrInt("axis", 0);
    int n = c.outputCount();
    if (sizes.isEmpty() && c.hasInput(1)) {
      // Sizes fed at run time: SplitV takes them as a tensor; the output count is static.
      bindSplitV(c, x, axis, c.input(1), n);
      return;
    }
    if (sizes.isEmpty() && c.node().attribute("num_outputs").isPresent()) {
      long[] dims = c.dims(0).orElse(null);
      long dim = dims == null ? -1 : dims[(int) c.axis(axis, dims.length)];
      if (dim < 0) {
        bindSplitV(c, x, axis, evenChunks(c, x, axis, n), n);
        return;
      }
      long chunk = (dim + n - 1) / n;
      long[] s = new long[n];
      for (int i = 0; i < n; i++) {
        s[i] = Math.max(0, Math.min(chunk, dim - i * chunk));
      }
      sizes = Optional.of(s);
    }
    TfRef node;
    if (sizes.isEmpty()) {
      node = c.g().op("Split", c.hint()).input(c.g().scalar(c.hint() + "/axis", DataType.DT_INT32, axis)).input(x)
          .attr("T", x.dtype()).attr("num_split", (long) n).output(x.dtype());
    } else {
      node = c.g().op("SplitV", c.hint()).input(x).input(c.g().int64s(c.hint() + "/sizes", sizes.get()))
          .input(c.g().scalar(c.hint() + "/axis", DataType.DT_INT32, axis)).attr("T", x.dtype())
          .attr("Tlen", DataType.DT_INT64).attr("num_split", (long) sizes.get().length).output(x.dtype());
    }
    for (int i = 0; i < n; i++) {
      c.bind(i, new TfRef(node.node(), i, x.dtype()));
    }
  }

  private static void bindSplitV(ExportContext c, TfRef x, long axis, TfRef sizes, int n) {
    TfRef node = c.g().op("SplitV", c.hint()).input(x).input(sizes)
        .input(c.g().scalar(c.hint() + "/axis", DataType.DT_INT32, axis)).attr("T", x.dtype())
        .attr("Tlen", sizes.dtype()).attr("num_split", (long) n).output(x.dtype());
    for (int i = 0; i < n; i++) {
      c.bind(i, new TfRef(node.node(), i, x.dtype()));
    }
  }

  /**
   * ONNX's {@code num_outputs} chunks of a dimension known only at run time: {@code ceil(dim / n)}
   * each, the last ones smaller (or empty), i.e. {@code clamp(dim - i * chunk, 0, chunk)}.
   */
  private static TfRef evenChunks(ExportContext c, TfRef x, long axis, int n) {
    TfRef dim = c.g().op("StridedSlice", c.hint() + "/dim").input(c.shapeOf(x)).input(c.g().int64s(c.hint() + "/b", axis))
        .input(c.g().int64s(c.hint() + "/e", axis + 1)).input(c.g().int64s(c.hint() + "/s", 1))
        .attr("T", DataType.DT_INT64).attr("Index", DataType.DT_INT64).attr("shrink_axis_mask", 1L)
        .attr("end_mask", axis == -1 ? 1L : 0L).output(DataType.DT_INT64);
    TfRef chunk = c.op("FloorDiv", c.op("AddV2", dim, c.g().scalar(c.hint() + "/n1", DataType.DT_INT64, n - 1)),
        c.g().scalar(c.hint() + "/n", DataType.DT_INT64, n));
    long[] iota = new long[n];
    for (int i = 0; i < n; i++) {
      iota[i] = i;
    }
    TfRef left = c.op("Sub", dim, c.op("Mul", c.g().int64s(c.hint() + "/iota", iota), chunk));
    return c.op("Minimum", c.op("Maximum", left, c.g().scalar(c.hint() + "/zero", DataType.DT_INT64, 0)), chunk);
  }
}
