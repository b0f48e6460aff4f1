package dev.modelbridge.tensorflow.export;

import java.util.Map;
import java.util.Optional;
import org.tensorflow.proto.DataType;

/**
 * The Reduce ops and ArgMax/ArgMin. Axes are an attribute until ReduceSum 13 and the others 18,
 * an input after; no axes reduce everything unless noop_with_empty_axes.
 */
final class ReduceExport implements ExportRegistry.Family {

  private static final Map<String, String> DIRECT = Map.of(
      "ReduceMean", "Mean", "ReduceSum", "Sum", "ReduceMax", "Max", "ReduceMin", "Min", "ReduceProd", "Prod");

  @Override
  public void register(ExportRegistry.Builder t) {
    DIRECT.forEach((onnx, tf) -> {
      int inputSince = onnx.equals("ReduceSum") ? 13 : 18;
      t.add(onnx, 1, c -> reduce(c, tf, c.attrInts("axes"), null));
      t.add(onnx, inputSince, c -> reduce(c, tf, axesInput(c), null));
    });
    t.add("ReduceSumSquare", 1, c -> reduce(c, "Sum", c.attrInts("axes"), "square"));
    t.add("ReduceSumSquare", 18, c -> reduce(c, "Sum", axesInput(c), "square"));
    t.add("ReduceL1", 1, c -> reduce(c, "Sum", c.attrInts("axes"), "abs"));
    t.add("ReduceL1", 18, c -> reduce(c, "Sum", axesInput(c), "abs"));
    t.add("ReduceL2", 1, c -> reduce(c, "Sum", c.attrInts("axes"), "l2"));
    t.add("ReduceL2", 18, c -> reduce(c, "Sum", axesInput(c), "l2"));
    t.add("ReduceLogSumExp", 1, c -> reduce(c, "Sum", c.attrInts("axes"), "logsumexp"));
    t.add("ReduceLogSumExp", 18, c -> reduce(c, "Sum", axesInput(c), "logsumexp"));
    t.add("ArgMax", 1, c -> arg(c, "ArgMax"));
    t.add("ArgMin", 1, c -> arg(c, "ArgMin"));
  }

  /** Constant axes; empty when absent or statically empty. Dynamic axes are handled by the caller. */
  private static Optional<long[]> axesInput(ExportContext c) {
    return c.constantInts(1);
  }

  /** Axes fed at run time: TensorFlow reductions take them as a tensor, unless they may be empty. */
  private static boolean dynamicAxes(ExportContext c) {
    return c.hasInput(1) && c.constantInts(1).isEmpty()
        && c.dims(1).map(d -> d.length == 1 && d[0] > 0).orElse(false);
  }

  private static void reduce(ExportContext c, String op, Optional<long[]> axesOpt, String form) throws OpExportException {
    TfRef x = c.input(0);
    if (c.hasInput(1) && c.constantInts(1).isEmpty() && !dynamicAxes(c)) {
      throw new OpExportException("axes (input 1) must be a constant or of a known non-zero length");
    }
    long[] axes = axesOpt.orElse(new long[0]);
    if (axes.length == 0 && c.attrInt("noop_with_empty_axes", 0) != 0) {
      c.bind(0, c.op("Identity", x));
      return;
    }
    if (axes.length == 0) {
      int rank = c.requireRank(0);
      axes = new long[rank];
      for (int i = 0; i < rank; i++) {
        axes[i] = i;
      }
    }
    boolean keep = c.attrInt("keepdims", 1) != 0;
    TfRef in = x;
    if ("square".equals(form) || "l2".equals(form)) {
      in = c.op("Mul", x, x);
    } else if ("abs".equals(form)) {
      in = c.op("Abs", x);
    } else if ("logsumexp".equals(form)) {
      in = c.op("Exp", x);
    }
    TfRef y = dynamicAxes(c)
        ? c.g().op(op, c.hint() + "/" + op).input(in).input(c.input(1)).attr("T", in.dtype())
            .attr("Tidx", c.input(1).dtype()).attr("keep_dims", keep).output(in.dtype())
        : c.reduce(op, in, axes, keep);
    if ("l2".equals(form)) {
      y = c.op("Sqrt", y);
    } else if ("logsumexp".equals(form)) {
      y = c.op("Log", y);
    }
    c.bind(0, y);
  }

  private static void arg(ExportContext c, String op) throws OpExportException {
    if (c.attrInt("select_last_index", 0) != 0) {
      throw new OpExportException("select_last_index=1 is not converted");
    }
    TfRef x = c.input(0);
    long axis = c.attrInt("axis", 0);
    TfRef y = c.g().op(op, c.hint()).input(x).input(c.g().scalar(c.hint() + "/axis", DataType.DT_INT64, axis))
        .attr("T", x.dtype()).attr("Tidx", DataType.DT_INT64).attr("output_type", DataType.DT_INT64)
        .output(DataType.DT_INT64);
    if (c.attrInt("keepdims", 1) != 0) {
      y = MatrixExport.expandDims(c, y, axis < 0 ? c.axis(axis, c.requireRank(0)) : axis);
    }
    c.bind(0, y);
  }
}
