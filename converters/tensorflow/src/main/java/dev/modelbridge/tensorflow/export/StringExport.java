package dev.modelbridge.tensorflow.export;

import java.util.List;
import org.tensorflow.proto.DataType;

/** The string ops of ai.onnx: StringSplit, StringConcat and RegexFullMatch. */
final class StringExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("StringSplit", 20, StringExport::split);
    t.add("StringConcat", 20, StringExport::concat);
    t.add("RegexFullMatch", 20, StringExport::regexFullMatch);
  }

  /**
   * StringSplitV2 has ONNX's semantics (Python's {@code str.split}: an empty or absent delimiter
   * splits on runs of whitespace and drops leading and trailing ones) but takes a vector and
   * gives a sparse result: the input is flattened, the parts are made dense with "" as padding,
   * and both outputs are reshaped to the input's shape.
   */
  private static void split(ExportContext c) throws OpExportException {
    TfRef x = c.input(0);
    String h = c.hint();
    TfRef shape = c.shapeOf(x);
    TfRef flat = c.reshape(x, c.g().int64s(h + "/flat", -1));
    String delimiter = c.attrString("delimiter", "");
    TfRef sep = c.g().strings(h + "/sep", true, List.of(delimiter));
    long maxsplit = c.node().attribute("maxsplit").isPresent() ? c.attrInt("maxsplit", -1) : -1;
    TfGraph.Node s = c.g().op("StringSplitV2", h + "/StringSplitV2").input(flat).input(sep).attr("maxsplit", maxsplit);
    TfRef indices = s.output(DataType.DT_INT64);
    TfRef values = new TfRef(indices.node(), 1, DataType.DT_STRING);
    TfRef n = ShapeExport.slice(c, new TfRef(indices.node(), 2, DataType.DT_INT64), 0, 1, false);
    if (delimiter.isEmpty() && maxsplit > 0) {
      // TensorFlow adds the rest after the last split even when it is empty, Python does not; on
      // whitespace no other part is empty, so the empty ones are dropped.
      TfRef keep = c.g().op("NotEqual", h + "/NotEqual").input(values).input(c.g().strings(h + "/empty", true, List.of("")))
          .attr("T", DataType.DT_STRING).attr("incompatible_shape_error", true).output(DataType.DT_BOOL);
      TfRef where = c.g().op("Where", h + "/Where").input(keep).attr("T", DataType.DT_BOOL).output(DataType.DT_INT64);
      TfRef at = c.reshape(where, c.g().int64s(h + "/at", -1));
      indices = gather(c, indices, at);
      values = gather(c, values, at);
    }
    // The number of parts of each string: the rows of the sparse indices, counted.
    TfRef rows = c.g().op("StridedSlice", h + "/rows").input(indices).input(c.g().int64s(h + "/rb", 0, 0))
        .input(c.g().int64s(h + "/re", 0, 1)).input(c.g().int64s(h + "/rs", 1, 1)).attr("T", DataType.DT_INT64)
        .attr("Index", DataType.DT_INT64).attr("begin_mask", 1L).attr("end_mask", 1L).attr("shrink_axis_mask", 2L)
        .output(DataType.DT_INT64);
    TfRef counts = c.g().op("UnsortedSegmentSum", h + "/counts").input(c.op("OnesLike", rows)).input(rows)
        .input(c.reshape(n, c.g().int64s(h + "/scalar", new long[0]))).attr("T", DataType.DT_INT64)
        .attr("Tindices", DataType.DT_INT64).attr("Tnumsegments", DataType.DT_INT64).output(DataType.DT_INT64);
    // The widest row (0 when there are no strings; Max of nothing is the lowest int64).
    TfRef width = c.op("Maximum", c.reduce("Max", counts, new long[] {0}, true), c.g().int64s(h + "/zero", 0));
    TfRef dense = c.g().op("SparseToDense", h + "/SparseToDense").input(indices).input(concat(c, n, width))
        .input(values).input(c.g().strings(h + "/pad", true, List.of(""))).attr("T", DataType.DT_STRING)
        .attr("Tindices", DataType.DT_INT64).attr("validate_indices", true).output(DataType.DT_STRING);
    c.bind(0, c.reshape(dense, concat(c, shape, width)));
    c.bind(1, c.reshape(counts, shape));
  }

  private static TfRef gather(ExportContext c, TfRef x, TfRef at) {
    return c.g().op("GatherV2", c.hint() + "/Gather").input(x).input(at)
        .input(c.g().scalar(c.hint() + "/gaxis", DataType.DT_INT32, 0)).attr("Tparams", x.dtype())
        .attr("Tindices", DataType.DT_INT64).attr("Taxis", DataType.DT_INT32).attr("batch_dims", 0L).output(x.dtype());
  }

  private static TfRef concat(ExportContext c, TfRef a, TfRef b) {
    return c.g().op("ConcatV2", c.hint() + "/concat").input(a).input(b)
        .input(c.g().scalar(c.hint() + "/axis", DataType.DT_INT32, 0)).attr("N", 2L).attr("T", a.dtype())
        .attr("Tidx", DataType.DT_INT32).output(a.dtype());
  }

  /** StringJoin only broadcasts scalars: both inputs are broadcast to their common shape first. */
  private static void concat(ExportContext c) throws OpExportException {
    TfRef x = c.input(0);
    TfRef y = c.input(1);
    TfRef target = c.g().op("BroadcastArgs", c.hint() + "/BroadcastArgs").input(c.shapeOf(x)).input(c.shapeOf(y))
        .attr("T", DataType.DT_INT64).output(DataType.DT_INT64);
    TfRef bx = broadcast(c, x, target);
    TfRef by = broadcast(c, y, target);
    c.bind(0, c.g().op("StringJoin", c.hint()).input(bx).input(by).attr("N", 2L).attr("separator", "")
        .output(DataType.DT_STRING));
  }

  private static TfRef broadcast(ExportContext c, TfRef x, TfRef shape) {
    return c.g().op("BroadcastTo", c.hint() + "/BroadcastTo").input(x).input(shape).attr("T", x.dtype())
        .attr("Tidx", DataType.DT_INT64).output(x.dtype());
  }

  /** TensorFlow's StaticRegexFullMatch uses RE2, the engine ONNX names. */
  private static void regexFullMatch(ExportContext c) throws OpExportException {
    String pattern = c.attrString("pattern", null);
    if (pattern == null) {
      throw new OpExportException("the pattern attribute is required");
    }
    c.bind(0, c.g().op("StaticRegexFullMatch", c.hint()).input(c.input(0)).attr("pattern", pattern)
        .output(DataType.DT_BOOL));
  }
}
