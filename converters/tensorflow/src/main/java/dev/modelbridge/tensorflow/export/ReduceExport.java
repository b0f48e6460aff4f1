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
    t.add("ReduceLogSum", 1, c -> reduce(c, "Sum", c.attrInts("axes"), "log"));
    t.add("ReduceLogSum", 18, c -> reduce(c, "Sum", axesInput(c), "log"));
    t.add("ArgMax", 1, c -> arg(c, "ArgMax"));
    t.add("ArgMin", 1, c -> arg(c, "ArgMin"));
  }

  /** Constant axes; empty when absent or statically empty. Axes fed at run time are handled by the caller. */
  private static Optional<long[]> axesInput(ExportContext c) {
    return c.constantInts(1);
  }

  /** Axes fed at run time: a mask of the reduced positions picks them, so that empty axes need no branch. */
  private static boolean dynamicAxes(ExportContext c) {
    return c.hasInput(1) && c.constantInts(1).isEmpty();
  }

  private static void reduce(ExportContext c, String op, Optional<long[]> axesOpt, String form) throws OpExportException {
    TfRef x = c.input(0);
    boolean noop = c.attrInt("noop_with_empty_axes", 0) != 0;
    long[] axes = axesOpt.orElse(new long[0]);
    if (!dynamicAxes(c) && axes.length == 0 && noop) {
      c.bind(0, c.op("Identity", x));
      return;
    }
    TfRef axesRef;
    if (dynamicAxes(c)) {
      TfRef mask = TfMath.axisMask(c, TfMath.rank(c, x), c.input(1), !noop);
      axesRef = TfMath.where(c, mask);
    } else {
      if (axes.length == 0) {
        int rank = c.requireRank(0);
        axes = new long[rank];
        for (int i = 0; i < rank; i++) {
          axes[i] = i;
        }
      }
      axesRef = c.g().int64s(c.hint() + "/axes", axes);
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
    TfRef y;
    if (in.dtype() == DataType.DT_BOOL) {
      // TensorFlow's Max and Min take no bool: Any and All are the same reductions there.
      String boolOp = op.equals("Max") ? "Any" : op.equals("Min") ? "All" : null;
      if (boolOp == null) {
        throw new OpExportException("a bool input is only converted for ReduceMax and ReduceMin");
      }
      y = c.g().op(boolOp, c.hint() + "/" + boolOp).input(in).input(axesRef).attr("Tidx", DataType.DT_INT64)
          .attr("keep_dims", keep).output(DataType.DT_BOOL);
    } else {
      y = c.g().op(op, c.hint() + "/" + op).input(in).input(axesRef).attr("T", in.dtype())
          .attr("Tidx", DataType.DT_INT64).attr("keep_dims", keep).output(in.dtype());
    }
    if ("l2".equals(form)) {
      y = c.op("Sqrt", y);
    } else if ("logsumexp".equals(form) || "log".equals(form)) {
      y = c.op("Log", y);
    }
    c.bind(0, y);
  }

  /** With select_last_index the input is reversed along the axis and the index mirrored back. */
  private static void arg(ExportContext c, String op) throws OpExportException {
    TfRef x = c.input(0);
    long axis = c.attrInt("axis", 0);
    boolean last = c.attrInt("select_last_index", 0) != 0;
    if (axis < 0) {
      axis = c.axis(axis, c.requireRank(0));
    }
    TfRef in = x;
    if (last) {
      in = c.g().op("ReverseV2", c.hint() + "/Reverse").input(x).input(c.g().int64s(c.hint() + "/raxis", axis))
          .attr("T", x.dtype()).attr("Tidx", DataType.DT_INT64).output(x.dtype());
    }
    TfRef y = c.g().op(op, c.hint()).input(in).input(c.g().scalar(c.hint() + "/axis", DataType.DT_INT64, axis))
        .attr("T", x.dtype()).attr("Tidx", DataType.DT_INT64).attr("output_type", DataType.DT_INT64)
        .output(DataType.DT_INT64);
    if (last) {
      TfRef top = c.op("Sub", TfMath.dim(c, x, axis), c.g().scalar(c.hint() + "/one", DataType.DT_INT64, 1));
      y = c.op("Sub", top, y);
    }
    if (c.attrInt("keepdims", 1) != 0) {
      y = MatrixExport.expandDims(c, y, axis);
    }
    c.bind(0, y);
  }
}
