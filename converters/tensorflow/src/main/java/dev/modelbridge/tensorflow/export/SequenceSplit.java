package dev.modelbridge.tensorflow.export;

import java.util.List;
import org.tensorflow.proto.DataType;

/**
 * SplitToSequence: the start and end of every piece along the axis are computed first (from the
 * split sizes, one chunk size, or one element per piece), then a While loop gathers each piece
 * into a TensorList, so the number of pieces may be known only at run time.
 */
final class SequenceSplit {
  private static final DataType I32 = DataType.DT_INT32;
  private static final DataType I64 = DataType.DT_INT64;

  private SequenceSplit() {}

  static void split(ExportContext c) throws OpExportException {
    TfGraph g = c.g();
    String h = c.hint();
    TfRef x = c.input(0);
    long axis = c.attrInt("axis", 0);
    if (axis < 0) {
      axis = c.axis(axis, c.requireRank(0));
    }
    boolean squeeze = !c.hasInput(1) && c.attrInt("keepdims", 1) == 0;
    TfRef size = gather(g, h + "/size", c.shapeOf(x), g.scalar(h + "/axis", I64, axis), 0);
    TfRef starts;
    TfRef ends;
    if (!c.hasInput(1)) {
      starts = range(g, h + "/starts", g.scalar(h + "/zero", I64, 0), size, g.scalar(h + "/one", I64, 1));
      ends = binary(g, "AddV2", h + "/ends", starts, g.scalar(h + "/step", I64, 1));
    } else if (c.rank(1).orElse(-1) == 0) {
      TfRef chunk = c.cast(c.input(1), I64);
      starts = range(g, h + "/starts", g.scalar(h + "/zero", I64, 0), size, chunk);
      ends = binary(g, "Minimum", h + "/ends", binary(g, "AddV2", h + "/next", starts, chunk), size);
    } else if (c.rank(1).orElse(-1) == 1) {
      TfRef sizes = c.cast(c.input(1), I64);
      ends = g.op("Cumsum", h + "/ends").input(sizes).input(g.scalar(h + "/cum_axis", I32, 0)).attr("exclusive", false)
          .attr("reverse", false).attr("T", I64).attr("Tidx", I32).output(I64);
      starts = binary(g, "Sub", h + "/starts", ends, sizes);
    } else {
      throw new OpExportException("the rank of split (input 1) is not known to be 0 or 1");
    }
    TfRef pieces = g.op("Size", h + "/pieces").input(starts).attr("T", I64).attr("out_type", I32).output(I32);
    long a = axis;
    List<TfRef> out = WhileLoop.range(g, h, g.scalar(h + "/first", I32, 0), pieces,
        List.of(TensorLists.empty(g, h + "/empty", x.dtype()), x, starts, ends), (bg, k, v) -> {
          TfRef start = gather(bg, "start", v.get(2), k, 0);
          TfRef index = squeeze ? start : range(bg, "index", start, gather(bg, "end", v.get(3), k, 0), bg.scalar("one", I64, 1));
          TfRef piece = gather(bg, "piece", v.get(1), index, a);
          return List.of(TensorLists.pushBack(bg, "push", v.get(0), piece), v.get(1), v.get(2), v.get(3));
        });
    c.bind(0, out.get(0));
  }

  private static TfRef gather(TfGraph g, String hint, TfRef params, TfRef indices, long axis) {
    return g.op("GatherV2", hint).input(params).input(indices).input(g.scalar(hint + "/axis", I64, axis))
        .attr("Tparams", params.dtype()).attr("Tindices", indices.dtype()).attr("Taxis", I64).attr("batch_dims", 0L)
        .output(params.dtype());
  }

  private static TfRef range(TfGraph g, String hint, TfRef start, TfRef limit, TfRef delta) {
    return g.op("Range", hint).input(start).input(limit).input(delta).attr("Tidx", I64).output(I64);
  }

  private static TfRef binary(TfGraph g, String op, String hint, TfRef a, TfRef b) {
    return g.op(op, hint).input(a).input(b).attr("T", a.dtype()).output(a.dtype());
  }
}
