package dev.modelbridge.tensorflow.export;

import dev.modelbridge.ir.Graph;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.proto.DataType;

/**
 * Scan (opset 9 and later) as a functional While: each iteration gathers one slice of every scan
 * input along its axis (from the end for reverse directions), runs the body, and pushes each scan
 * output into a TensorList, stacked after the loop, reversed and moved to its axis as asked.
 */
final class ScanExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("Scan", 9, ScanExport::scan);
  }

  private static void scan(ExportContext c) throws OpExportException {
    Graph body = c.attrGraph("body").orElseThrow(() -> new OpExportException("attribute 'body' is missing"));
    TfGraph g = c.g();
    String hint = c.hint();
    int m = (int) c.attrInt("num_scan_inputs", 0);
    int n = c.inputCount() - m;
    int k = body.outputs().size() - n;
    if (m < 1 || n < 0 || k < 0) {
      throw new OpExportException("num_scan_inputs " + m + " does not fit " + c.inputCount() + " inputs");
    }
    long[] inAxes = new long[m];
    long[] inDirs = c.attrInts("scan_input_directions").orElse(new long[m]);
    long[] outDirs = c.attrInts("scan_output_directions").orElse(new long[k]);
    long[] outAxes = c.attrInts("scan_output_axes").orElse(new long[k]);
    long[] givenInAxes = c.attrInts("scan_input_axes").orElse(new long[m]);
    for (int j = 0; j < m; j++) {
      inAxes[j] = givenInAxes[j] < 0 ? c.axis(givenInAxes[j], c.requireRank(n + j)) : givenInAxes[j];
    }
    Subgraphs.Captures cap = Subgraphs.captures(c, body);
    List<TfRef> states = new ArrayList<>();
    List<TfRef> scanned = new ArrayList<>();
    for (int i = 0; i < c.inputCount(); i++) {
      (i < n ? states : scanned).add(c.input(i));
    }
    List<TfRef> out = emit(c, g, hint, new Plan(body, cap, inAxes, inDirs, outDirs), states, scanned, cap.outer());
    for (int i = 0; i < n; i++) {
      c.bind(i, out.get(i));
    }
    for (int j = 0; j < k; j++) {
      TfRef y = out.get(n + j);
      if (outAxes[j] != 0) {
        y = moveFront(c, y, outAxes[j], body, n + j);
      }
      c.bind(n + j, y);
    }
  }

  /** One scan: the body, the outer values it captures, the scan axes and directions of its inputs and outputs. */
  record Plan(Graph body, Subgraphs.Captures cap, long[] inAxes, long[] inDirs, long[] outDirs) {}

  /**
   * Emits the While of one scan into {@code g} (the main graph or a function body, where
   * {@code captured} are the tensors of the captured values); returns the final states, then
   * the scan outputs stacked along axis 0 (reversed for reverse directions).
   */
  static List<TfRef> emit(ExportContext c, TfGraph g, String hint, Plan p, List<TfRef> states, List<TfRef> scanned,
      List<TfRef> captured) throws OpExportException {
    Graph body = p.body();
    int n = states.size();
    int m = scanned.size();
    int k = body.outputs().size() - n;
    long[] inAxes = p.inAxes();
    long[] inDirs = p.inDirs();
    long[] outDirs = p.outDirs();
    Subgraphs.Captures cap = p.cap();
    TfRef first = scanned.get(0);
    TfRef shape = g.op("Shape", hint + "/shape").input(first).attr("T", first.dtype())
        .attr("out_type", DataType.DT_INT64).output(DataType.DT_INT64);
    TfRef length = g.op("GatherV2", hint + "/length").input(shape)
        .input(g.scalar(hint + "/length_axis", DataType.DT_INT64, inAxes[0])).input(g.scalar(hint + "/zero", DataType.DT_INT32, 0))
        .attr("Tparams", DataType.DT_INT64).attr("Tindices", DataType.DT_INT64).attr("Taxis", DataType.DT_INT32)
        .attr("batch_dims", 0L).output(DataType.DT_INT64);
    List<DataType> types = new ArrayList<>(List.of(DataType.DT_INT64, DataType.DT_INT64));
    states.forEach(r -> types.add(r.dtype()));
    for (int j = 0; j < k; j++) {
      types.add(TensorLists.VARIANT);
    }
    scanned.forEach(r -> types.add(r.dtype()));
    captured.forEach(r -> types.add(r.dtype()));
    DataType[] outTypes = new DataType[k];
    List<TfRef> out = WhileLoop.emit(g, hint, types, (cg, v) -> WhileLoop.less(cg, v.get(0), v.get(1)), (f, v) -> {
      TfGraph bg = f.graph();
      TfRef i = v.get(0);
      TfRef last = bg.op("Sub", "last").input(v.get(1)).input(WhileLoop.increment(bg, i)).attr("T", DataType.DT_INT64)
          .output(DataType.DT_INT64);
      List<TfRef> inputs = new ArrayList<>(v.subList(2, 2 + n));
      for (int j = 0; j < m; j++) {
        TfRef x = v.get(2 + n + k + j);
        inputs.add(bg.op("GatherV2", "slice_" + j).input(x).input(inDirs[j] == 1 ? last : i)
            .input(bg.scalar("axis_" + j, DataType.DT_INT64, inAxes[j])).attr("Tparams", x.dtype())
            .attr("Tindices", DataType.DT_INT64).attr("Taxis", DataType.DT_INT64).attr("batch_dims", 0L)
            .output(x.dtype()));
      }
      List<TfRef> capturedArgs = v.subList(2 + n + k + m, v.size());
      List<TfRef> o = Subgraphs.convert(c, f, body, inputs, cap, capturedArgs);
      List<TfRef> next = new ArrayList<>(List.of(WhileLoop.increment(bg, i), v.get(1)));
      next.addAll(o.subList(0, n));
      for (int j = 0; j < k; j++) {
        outTypes[j] = o.get(n + j).dtype();
        next.add(TensorLists.pushBack(bg, "scan_" + j, v.get(2 + n + j), o.get(n + j)));
      }
      next.addAll(v.subList(2 + n + k, 2 + n + k + m));
      next.addAll(capturedArgs);
      return next;
    }, () -> {
      List<TfRef> init = new ArrayList<>(List.of(g.scalar(hint + "/i", DataType.DT_INT64, 0), length));
      init.addAll(states);
      for (int j = 0; j < k; j++) {
        init.add(TensorLists.empty(g, hint + "/scan_" + j, outTypes[j]));
      }
      init.addAll(scanned);
      init.addAll(captured);
      return init;
    });
    List<TfRef> result = new ArrayList<>(out.subList(2, 2 + n));
    for (int j = 0; j < k; j++) {
      long[] dims = Subgraphs.declaredDims(body, n + j);
      TfRef y = TensorLists.stack(g, hint + "/stack_" + j, out.get(2 + n + j), outTypes[j], dims);
      if (outDirs[j] == 1) {
        y = g.op("ReverseV2", hint + "/reverse_" + j).input(y).input(g.int32s(hint + "/reverse_axis", 0))
            .attr("T", y.dtype()).attr("Tidx", DataType.DT_INT32).output(y.dtype());
      }
      result.add(y);
    }
    return result;
  }

  /** Moves axis 0 of the stacked output to {@code axis}; needs the rank of the body's output. */
  private static TfRef moveFront(ExportContext c, TfRef y, long axis, Graph body, int output) throws OpExportException {
    int rank = Subgraphs.declared(body, output).flatMap(t -> t.shape()).map(s -> s.dims().size() + 1)
        .orElseThrow(() -> new OpExportException("scan_output_axes needs the rank of the body's output "
            + body.outputs().get(output).name()));
    long a = c.axis(axis, rank);
    long[] perm = new long[rank];
    for (int p = 0; p < rank; p++) {
      perm[p] = p < a ? p + 1 : p == a ? 0 : p;
    }
    return c.transpose(y, perm);
  }
}
