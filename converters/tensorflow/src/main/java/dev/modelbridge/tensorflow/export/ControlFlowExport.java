package dev.modelbridge.tensorflow.export;

import dev.modelbridge.ir.Graph;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;

/**
 * If and Loop as TensorFlow's functional If and While, their subgraphs as functions of the graph's
 * library. Loop's scan outputs are accumulated in TensorLists and stacked after the loop.
 */
final class ControlFlowExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("If", 1, ControlFlowExport::ifOp);
    t.add("Loop", 1, ControlFlowExport::loop);
  }

  private static Graph graph(ExportContext c, String attr) throws OpExportException {
    return c.attrGraph(attr).orElseThrow(() -> new OpExportException("attribute '" + attr + "' is missing"));
  }

  /** Both branches take every outer value either reads, as a functional If's branches share one signature. */
  private static void ifOp(ExportContext c) throws OpExportException {
    Graph thenG = graph(c, "then_branch");
    Graph elseG = graph(c, "else_branch");
    Subgraphs.Captures cap = Subgraphs.captures(c, thenG, elseG);
    List<TfRef> thenOut = new ArrayList<>();
    String thenF = branch(c, thenG, cap, thenOut);
    List<TfRef> elseOut = new ArrayList<>();
    String elseF = branch(c, elseG, cap, elseOut);
    List<DataType> types = thenOut.stream().map(TfRef::dtype).toList();
    if (!types.equals(elseOut.stream().map(TfRef::dtype).toList())) {
      throw new OpExportException("the branches give outputs of different types: " + types + " and "
          + elseOut.stream().map(TfRef::dtype).toList());
    }
    TfGraph g = c.g();
    TfRef cond = Subgraphs.scalar(g, c.hint(), c.input(0));
    TfRef first = g.op("If", c.hint()).input(cond).inputs(cap.outer()).attr("Tcond", DataType.DT_BOOL)
        .types("Tin", cap.outer().stream().map(TfRef::dtype).toList()).types("Tout", types)
        .attr("then_branch", TfFunction.func(thenF)).attr("else_branch", TfFunction.func(elseF))
        .attr("output_shapes", AttrValue.newBuilder().setList(AttrValue.ListValue.newBuilder()).build())
        .output(types.get(0));
    for (int i = 0; i < types.size(); i++) {
      c.bind(i, new TfRef(first.node(), i, types.get(i)));
    }
  }

  private static String branch(ExportContext c, Graph g, Subgraphs.Captures cap, List<TfRef> out)
      throws OpExportException {
    TfFunction f = new TfFunction(c.g());
    List<TfRef> args = Subgraphs.captureArgs(f, cap);
    out.addAll(Subgraphs.convert(c, f, g, List.of(), cap, args));
    return f.finish(c.hint() + "_" + g.name(), out);
  }

  /**
   * Loop variables of the While: the iteration count, the trip count M, the condition, the
   * loop-carried values, one TensorList per scan output, and the outer values the body reads.
   */
  private static void loop(ExportContext c) throws OpExportException {
    Graph body = graph(c, "body");
    TfGraph g = c.g();
    String hint = c.hint();
    int carried = c.inputCount() - 2;
    int scans = body.outputs().size() - 1 - carried;
    if (carried < 0 || scans < 0) {
      throw new OpExportException("the body has " + body.outputs().size() + " outputs for " + carried
          + " loop-carried values");
    }
    Subgraphs.Captures cap = Subgraphs.captures(c, body);
    List<TfRef> initial = new ArrayList<>();
    for (int i = 0; i < carried; i++) {
      initial.add(c.input(2 + i));
    }
    List<DataType> types = new ArrayList<>(List.of(DataType.DT_INT64, DataType.DT_INT64, DataType.DT_BOOL));
    initial.forEach(r -> types.add(r.dtype()));
    for (int k = 0; k < scans; k++) {
      types.add(TensorLists.VARIANT);
    }
    cap.outer().forEach(r -> types.add(r.dtype()));
    DataType[] scanTypes = new DataType[scans];
    List<TfRef> out = WhileLoop.emit(g, hint, types,
        (cg, v) -> cg.op("LogicalAnd", "and").input(WhileLoop.less(cg, v.get(0), v.get(1))).input(v.get(2))
            .output(DataType.DT_BOOL),
        (f, v) -> {
          TfGraph bg = f.graph();
          List<TfRef> inputs = new ArrayList<>(List.of(v.get(0), v.get(2)));
          inputs.addAll(v.subList(3, 3 + carried));
          List<TfRef> captured = v.subList(3 + carried + scans, v.size());
          List<TfRef> o = Subgraphs.convert(c, f, body, inputs, cap, captured);
          List<TfRef> next = new ArrayList<>(List.of(WhileLoop.increment(bg, v.get(0)), v.get(1),
              Subgraphs.scalar(bg, "cond", o.get(0))));
          next.addAll(o.subList(1, 1 + carried));
          for (int k = 0; k < scans; k++) {
            TfRef item = o.get(1 + carried + k);
            scanTypes[k] = item.dtype();
            next.add(TensorLists.pushBack(bg, "scan_" + k, v.get(3 + carried + k), item));
          }
          next.addAll(captured);
          return next;
        },
        () -> {
          List<TfRef> init = new ArrayList<>();
          init.add(g.scalar(hint + "/i", DataType.DT_INT64, 0));
          init.add(c.hasInput(0) ? Subgraphs.scalar(g, hint + "/M", Subgraphs.cast(g, hint, c.input(0), DataType.DT_INT64))
              : g.scalar(hint + "/M", DataType.DT_INT64, Long.MAX_VALUE));
          init.add(c.hasInput(1) ? Subgraphs.scalar(g, hint + "/cond", c.input(1))
              : g.scalar(hint + "/cond", DataType.DT_BOOL, 1));
          init.addAll(initial);
          for (int k = 0; k < scans; k++) {
            init.add(TensorLists.empty(g, hint + "/scan_" + k, scanTypes[k]));
          }
          init.addAll(cap.outer());
          return init;
        });
    for (int i = 0; i < carried; i++) {
      c.bind(i, out.get(3 + i));
    }
    for (int k = 0; k < scans; k++) {
      c.bind(carried + k, TensorLists.stack(g, hint + "/stack_" + k, out.get(3 + carried + k), scanTypes[k],
          Subgraphs.declaredDims(body, 1 + carried + k)));
    }
  }
}
