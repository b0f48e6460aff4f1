package dev.modelbridge.tensorflow.export;

import dev.modelbridge.ir.Graph;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.proto.DataType;

/**
 * Scan of opset 8, whose states and scan inputs carry a batch axis 0 (the sequence on axis 1): a
 * functional While over the batch runs, for each batch entry, the scan of opset 9 on that entry's
 * slices, and pushes its final states and scan outputs into TensorLists stacked after the loop.
 */
final class Scan8Export implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("Scan", 8, Scan8Export::scan);
  }

  private static void scan(ExportContext c) throws OpExportException {
    Graph body = c.attrGraph("body").orElseThrow(() -> new OpExportException("attribute 'body' is missing"));
    if (c.hasInput(0)) {
      // Shorter sequences would leave the rest of their outputs undefined; only full lengths are converted.
      throw new OpExportException("sequence_lens is not converted: every sequence must run its full length");
    }
    TfGraph g = c.g();
    String hint = c.hint();
    int m = (int) c.attrInt("num_scan_inputs", 0);
    int n = c.inputCount() - 1 - m;
    int k = body.outputs().size() - n;
    if (m < 1 || n < 0 || k < 0) {
      throw new OpExportException("num_scan_inputs " + m + " does not fit " + c.inputCount() + " inputs");
    }
    long[] dirs = c.attrInts("directions").orElse(new long[m]);
    Subgraphs.Captures cap = Subgraphs.captures(c, body);
    List<TfRef> states = new ArrayList<>();
    List<TfRef> scanned = new ArrayList<>();
    for (int i = 1; i < c.inputCount(); i++) {
      (i <= n ? states : scanned).add(c.input(i));
    }
    TfRef first = scanned.get(0);
    TfRef batch = TfMath.dim(c, first, 0);
    List<DataType> types = new ArrayList<>(List.of(DataType.DT_INT64, DataType.DT_INT64));
    states.forEach(r -> types.add(r.dtype()));
    scanned.forEach(r -> types.add(r.dtype()));
    for (int j = 0; j < n + k; j++) {
      types.add(TensorLists.VARIANT);
    }
    cap.outer().forEach(r -> types.add(r.dtype()));
    DataType[] outTypes = new DataType[n + k];
    int lists = 2 + n + m;
    List<TfRef> out = WhileLoop.emit(g, hint + "_batch", types, (cg, v) -> WhileLoop.less(cg, v.get(0), v.get(1)),
        (f, v) -> {
          TfGraph bg = f.graph();
          TfRef b = v.get(0);
          List<TfRef> entry = new ArrayList<>();
          for (int j = 0; j < n + m; j++) {
            TfRef x = v.get(2 + j);
            entry.add(bg.op("GatherV2", "entry_" + j).input(x).input(b).input(bg.scalar("axis_" + j, DataType.DT_INT64, 0))
                .attr("Tparams", x.dtype()).attr("Tindices", DataType.DT_INT64).attr("Taxis", DataType.DT_INT64)
                .attr("batch_dims", 0L).output(x.dtype()));
          }
          List<TfRef> capturedArgs = v.subList(lists + n + k, v.size());
          ScanExport.Plan plan = new ScanExport.Plan(body, cap, new long[m], dirs, new long[k]);
          List<TfRef> o = ScanExport.emit(c, bg, "scan", plan, entry.subList(0, n), entry.subList(n, n + m), capturedArgs);
          List<TfRef> next = new ArrayList<>(v.subList(0, lists));
          next.set(0, WhileLoop.increment(bg, b));
          for (int j = 0; j < n + k; j++) {
            outTypes[j] = o.get(j).dtype();
            next.add(TensorLists.pushBack(bg, "out_" + j, v.get(lists + j), o.get(j)));
          }
          next.addAll(capturedArgs);
          return next;
        }, () -> {
          List<TfRef> init = new ArrayList<>(List.of(g.scalar(hint + "/b", DataType.DT_INT64, 0), batch));
          init.addAll(states);
          init.addAll(scanned);
          for (int j = 0; j < n + k; j++) {
            init.add(TensorLists.empty(g, hint + "/out_" + j, outTypes[j]));
          }
          init.addAll(cap.outer());
          return init;
        });
    for (int j = 0; j < n + k; j++) {
      c.bind(j, TensorLists.stack(g, hint + "/stack_" + j, out.get(lists + j), outTypes[j], null));
    }
  }
}
