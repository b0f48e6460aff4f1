package dev.modelbridge.tensorflow.export;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorShapeProto;

/**
 * TensorFlow's functional {@code While}, its condition and body functions built by Java code: the
 * ONNX Loop and Scan bodies, and the loops over TensorLists that some sequence ops need.
 */
final class WhileLoop {
  private WhileLoop() {}

  /** Emits the condition on the loop variables into a function body. */
  @FunctionalInterface
  interface Cond {
    TfRef apply(TfGraph g, List<TfRef> vars) throws OpExportException;
  }

  /** Emits one iteration into a function body: the next values of the loop variables. */
  @FunctionalInterface
  interface Body {
    List<TfRef> apply(TfFunction f, List<TfRef> vars) throws OpExportException;
  }

  /** One iteration of {@link #range}: counter {@code k} and the loop variables to their next values. */
  @FunctionalInterface
  interface Step {
    List<TfRef> apply(TfGraph g, TfRef k, List<TfRef> vars) throws OpExportException;
  }

  /** Emits the initial values of the loop variables, once the body is built. */
  @FunctionalInterface
  interface Init {
    List<TfRef> get() throws OpExportException;
  }

  /** A While over {@code init}; returns the final values of the loop variables. */
  static List<TfRef> emit(TfGraph g, String hint, List<TfRef> init, Cond cond, Body body) throws OpExportException {
    return emit(g, hint, init.stream().map(TfRef::dtype).toList(), cond, body, () -> init);
  }

  /**
   * A While over loop variables of {@code types}, whose initial values {@code init} emits after the
   * body (when they depend on what the body found, such as the element type of an accumulator).
   */
  static List<TfRef> emit(TfGraph g, String hint, List<DataType> types, Cond cond, Body body, Init init)
      throws OpExportException {
    TfFunction c = new TfFunction(g);
    String condName = c.finish(hint + "_cond", List.of(cond.apply(c.graph(), args(c, types))));
    TfFunction b = new TfFunction(g);
    List<TfRef> next = body.apply(b, args(b, types));
    if (!next.stream().map(TfRef::dtype).toList().equals(types)) {
      throw new OpExportException("the loop body changes the types of its loop variables from " + types + " to "
          + next.stream().map(TfRef::dtype).toList());
    }
    String bodyName = b.finish(hint + "_body", next);
    AttrValue.ListValue.Builder shapes = AttrValue.ListValue.newBuilder();
    // Unknown shapes: loop variables such as accumulators change shape from one iteration to the next.
    types.forEach(t -> shapes.addShape(TensorShapeProto.newBuilder().setUnknownRank(true)));
    TfRef first = g.op("While", hint).inputs(init.get()).types("T", types).attr("cond", TfFunction.func(condName))
        .attr("body", TfFunction.func(bodyName)).attr("output_shapes", AttrValue.newBuilder().setList(shapes).build())
        .attr("parallel_iterations", 10L).output(types.get(0));
    List<TfRef> out = new ArrayList<>();
    for (int i = 0; i < types.size(); i++) {
      out.add(new TfRef(first.node(), i, types.get(i)));
    }
    return out;
  }

  private static List<TfRef> args(TfFunction f, List<DataType> types) {
    List<TfRef> out = new ArrayList<>();
    types.forEach(t -> out.add(f.arg("v", t)));
    return out;
  }

  /** {@code for k in [start, end)} over int32 bounds; returns the final values of {@code vars}. */
  static List<TfRef> range(TfGraph g, String hint, TfRef start, TfRef end, List<TfRef> vars, Step step)
      throws OpExportException {
    List<TfRef> init = new ArrayList<>(List.of(start, end));
    init.addAll(vars);
    List<TfRef> out = emit(g, hint, init, (cg, v) -> less(cg, v.get(0), v.get(1)), (f, v) -> {
      TfGraph bg = f.graph();
      List<TfRef> next = new ArrayList<>(List.of(increment(bg, v.get(0)), v.get(1)));
      next.addAll(step.apply(bg, v.get(0), v.subList(2, v.size())));
      return next;
    });
    return out.subList(2, out.size());
  }

  static TfRef less(TfGraph g, TfRef a, TfRef b) {
    return g.op("Less", "less").input(a).input(b).attr("T", a.dtype()).output(DataType.DT_BOOL);
  }

  /** {@code k + 1} of an int32 or int64 scalar. */
  static TfRef increment(TfGraph g, TfRef k) {
    return g.op("AddV2", "next").input(k).input(g.scalar("one", k.dtype(), 1)).attr("T", k.dtype()).output(k.dtype());
  }
}
