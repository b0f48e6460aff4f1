package dev.modelbridge.tensorflow.export;

import java.util.Optional;
import org.tensorflow.proto.DataType;

/**
 * Pad in its four modes. Pads may be fed at run time, so TensorFlow's {@code [rank, 2]} paddings
 * are built in the graph from ONNX's {@code [begins..., ends...]}. Constant mode is PadV2 (with a
 * Slice for negative pads); reflect, edge and wrap gather each axis at computed source indices,
 * which also covers what MirrorPad cannot (edge, wrap, pads wider than the input).
 */
final class PadExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("Pad", 2, c -> {
      long[] pads = c.attrInts("pads").orElseThrow(() -> new OpExportException("pads is required"));
      TfRef x = c.input(0);
      pad(c, c.g().int64s(c.hint() + "/pads", pads), Optional.of(pads), TfMath.like(c, x, c.attrFloat("value", 0f)));
    });
    t.add("Pad", 11, c -> {
      TfRef x = c.input(0);
      TfRef value = c.hasInput(2) ? c.cast(TfMath.toScalar(c, c.input(2)), x.dtype()) : TfMath.like(c, x, 0);
      pad(c, c.cast(c.input(1), DataType.DT_INT64), c.constantInts(1), value);
    });
  }

  private static void pad(ExportContext c, TfRef pads, Optional<long[]> constPads, TfRef value) throws OpExportException {
    TfRef x = c.input(0);
    int rank = c.requireRank(0);
    TfRef paddings = paddings(c, pads, rank);
    String mode = c.attrString("mode", "constant");
    boolean negative = constPads.map(p -> java.util.Arrays.stream(p).anyMatch(v -> v < 0)).orElse(true);
    if (mode.equals("constant")) {
      TfRef zero = c.g().scalar(c.hint() + "/zero", DataType.DT_INT64, 0);
      TfRef y = c.g().op("PadV2", c.hint() + "/PadV2").input(x).input(c.op("Maximum", paddings, zero)).input(value)
          .attr("T", x.dtype()).attr("Tpaddings", DataType.DT_INT64).output(x.dtype());
      if (negative) {
        // Negative pads remove elements: cut them from the padded tensor.
        TfRef cut = c.op("Neg", c.op("Minimum", paddings, zero));
        TfRef begin = column(c, cut, 0);
        TfRef size = c.op("Sub", c.op("Sub", c.shapeOf(y), begin), column(c, cut, 1));
        y = c.g().op("Slice", c.hint() + "/Slice").input(y).input(begin).input(size).attr("T", x.dtype())
            .attr("Index", DataType.DT_INT64).output(x.dtype());
      }
      c.bind(0, y);
      return;
    }
    if (!mode.equals("reflect") && !mode.equals("edge") && !mode.equals("wrap")) {
      throw new OpExportException("mode '" + mode + "' is not converted");
    }
    TfRef flat = c.reshape(paddings, c.g().int64s(c.hint() + "/flat", -1));
    TfRef y = x;
    for (int a = 0; a < rank; a++) {
      if (constPads.isPresent() && c.constantInts(3).isEmpty() && !c.hasInput(3)
          && constPads.get()[a] == 0 && constPads.get()[a + rank] == 0) {
        continue;
      }
      TfRef d = TfMath.dim(c, x, a);
      TfRef before = TfMath.element(c, flat, 2L * a);
      TfRef after = TfMath.element(c, flat, 2L * a + 1);
      TfRef one = c.g().scalar(c.hint() + "/one", DataType.DT_INT64, 1);
      TfRef idx = TfMath.range(c, c.op("Neg", before), c.op("AddV2", d, after), one);
      y = c.g().op("GatherV2", c.hint() + "/Gather").input(y).input(source(c, idx, d, mode))
          .input(c.g().scalar(c.hint() + "/axis", DataType.DT_INT64, a)).attr("Tparams", x.dtype())
          .attr("Tindices", DataType.DT_INT64).attr("Taxis", DataType.DT_INT64).attr("batch_dims", 0L)
          .output(x.dtype());
    }
    c.bind(0, y == x ? c.op("Identity", x) : y);
  }

  /** The index in the input that padded position {@code idx} (counted from the input's start) copies. */
  private static TfRef source(ExportContext c, TfRef idx, TfRef d, String mode) {
    TfRef one = c.g().scalar(c.hint() + "/one", DataType.DT_INT64, 1);
    TfRef last = c.op("Sub", d, one);
    switch (mode) {
      case "edge":
        return c.op("Maximum", c.op("Minimum", idx, last), c.g().scalar(c.hint() + "/zero", DataType.DT_INT64, 0));
      case "wrap":
        return c.op("FloorMod", idx, d);
      default:
        // Reflection has period 2(d-1); a length-1 axis only has index 0 (period kept >= 1).
        TfRef period = c.op("Maximum", c.op("AddV2", last, last), one);
        TfRef m = c.op("FloorMod", idx, period);
        return c.op("Sub", last, c.op("Abs", c.op("Sub", last, m)));
    }
  }

  /**
   * ONNX's {@code [x1_begin, x2_begin, ..., x1_end, x2_end, ...]} (over {@code axes} from input 3
   * when given) as TensorFlow's {@code [rank, 2]}.
   */
  private static TfRef paddings(ExportContext c, TfRef pads, int rank) throws OpExportException {
    TfRef pairs = c.transpose(c.reshape(pads, c.g().int64s(c.hint() + "/two", 2, -1)), 1, 0);
    if (!c.hasInput(3)) {
      return pairs;
    }
    TfRef axes = TfMath.wrap(c, c.input(3), c.g().scalar(c.hint() + "/rank", DataType.DT_INT64, rank));
    TfRef where = c.reshape(axes, c.g().int64s(c.hint() + "/col", -1, 1));
    TfRef zeros = c.g().constant(c.hint() + "/zeros", DataType.DT_INT64, new long[] {rank, 2},
        java.nio.ByteBuffer.allocate(rank * 16));
    return c.g().op("TensorScatterUpdate", c.hint() + "/paddings").input(zeros).input(where).input(pairs)
        .attr("T", DataType.DT_INT64).attr("Tindices", DataType.DT_INT64).output(DataType.DT_INT64);
  }

  /** Column {@code j} of a {@code [rank, 2]} matrix. */
  private static TfRef column(ExportContext c, TfRef m, long j) {
    return c.g().op("StridedSlice", c.hint() + "/col").input(m).input(c.g().int64s(c.hint() + "/b", 0, j))
        .input(c.g().int64s(c.hint() + "/e", 0, j + 1)).input(c.g().int64s(c.hint() + "/s", 1, 1))
        .attr("T", m.dtype()).attr("Index", DataType.DT_INT64).attr("begin_mask", 1L).attr("end_mask", 1L)
        .attr("shrink_axis_mask", 2L).output(m.dtype());
  }
}
