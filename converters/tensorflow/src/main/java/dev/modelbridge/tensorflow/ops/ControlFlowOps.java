package dev.modelbridge.tensorflow.ops;

import dev.modelbridge.ModelException;
import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Type;
import dev.modelbridge.tensorflow.convert.NodeContext;
import dev.modelbridge.tensorflow.convert.OpConversionException;
import dev.modelbridge.tensorflow.convert.OpRegistry;
import dev.modelbridge.tensorflow.convert.TfConverter;
import dev.modelbridge.tensorflow.convert.TfTensors;
import dev.modelbridge.tensorflow.graph.FunctionGraphs;
import dev.modelbridge.tensorflow.graph.TensorRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;

/**
 * TF2's functional control flow: (Stateless)While becomes an ONNX Loop, (Stateless)If an ONNX If.
 * The cond, body and branch functions are converted as graphs of their own. TF1's Switch/Merge
 * loops have no handler and are reported as unsupported ops.
 */
public final class ControlFlowOps implements OpRegistry.Family {

  @Override
  public void register(OpRegistry.Builder t) {
    t.add(List.of("While", "StatelessWhile"), ctx -> reported(ctx, ControlFlowOps::loop));
    t.add(List.of("If", "StatelessIf"), ctx -> reported(ctx, ControlFlowOps::branch));
  }

  /**
   * {@code while cond(v): v = body(v)} as {@code Loop(cond(v0), v0)} whose body computes
   * {@code v' = body(v)} and then {@code cond(v')}. Resource inputs (captured variables) are not
   * carried: the body reads the variable's value from the enclosing graph.
   */
  private static void loop(NodeContext ctx) throws ModelException {
    String cond = func(ctx, "cond");
    String body = func(ctx, "body");
    List<DataType> types = typeList(ctx, "T");
    String prefix = ctx.uniqueName(ctx.node().name());
    // The first test, cond(v0), runs in the enclosing graph.
    FunctionGraphs.Body first = FunctionGraphs.chain(ctx.source(), prefix + "/cond_init", types, List.of(cond));
    Map<TensorRef, String> initial = new HashMap<>();
    for (int i = 0; i < types.size(); i++) {
      initial.put(first.args().get(i), ctx.input(i));
    }
    String condOut = ctx.uniqueName(prefix + "/cond_init/out");
    Graph init = ctx.body(prefix + "/cond_init", first.graph(), List.of(), initial,
        List.of(new TfConverter.Fetch(condOut, first.results().get(0).get(0), Optional.empty())));
    ctx.splice(init);

    FunctionGraphs.Body step = FunctionGraphs.chain(ctx.source(), prefix + "/body", types, List.of(body, cond));
    List<TfConverter.Feed> feeds = new ArrayList<>();
    Map<TensorRef, String> outer = new HashMap<>();
    feeds.add(new TfConverter.Feed(ctx.uniqueName(prefix + "/iteration"), new TensorRef(prefix + "/iteration", 0),
        Type.tensor(ElementType.INT64)));
    feeds.add(new TfConverter.Feed(ctx.uniqueName(prefix + "/cond_in"), new TensorRef(prefix + "/cond_in", 0),
        Type.tensor(ElementType.BOOL)));
    List<TfConverter.Fetch> fetches = new ArrayList<>();
    fetches.add(new TfConverter.Fetch(ctx.uniqueName(prefix + "/cond_out"), step.results().get(1).get(0),
        Optional.of(Type.tensor(ElementType.BOOL))));
    List<String> carried = new ArrayList<>();
    List<Integer> carriedIndex = new ArrayList<>();
    for (int i = 0; i < types.size(); i++) {
      if (types.get(i) == DataType.DT_RESOURCE) {
        outer.put(step.args().get(i), ctx.input(i));
        continue;
      }
      Type type = Type.tensorOfUnknownRank(carriedType(ctx, types.get(i), step, i));
      feeds.add(new TfConverter.Feed(ctx.uniqueName(prefix + "/in_" + i), step.args().get(i), type));
      fetches.add(new TfConverter.Fetch(ctx.uniqueName(prefix + "/out_" + i), step.results().get(0).get(i),
          Optional.of(type)));
      carried.add(ctx.input(i));
      carriedIndex.add(i);
    }
    Graph loopBody = ctx.body(prefix + "/body", step.graph(), feeds, outer, fetches);
    List<String> inputs = new ArrayList<>(List.of("", condOut));
    inputs.addAll(carried);
    String[] outs = ctx.emitMany(carried.size(), "Loop", List.of(Attribute.of("body", loopBody)),
        inputs.toArray(String[]::new));
    for (int k = 0; k < carried.size(); k++) {
      ctx.bind(carriedIndex.get(k), outs[k]);
    }
    for (int i = 0; i < types.size(); i++) {
      if (types.get(i) == DataType.DT_RESOURCE) {
        ctx.bind(i, ctx.input(i)); // a variable comes out of the loop as it went in
      }
    }
  }

  /** {@code If(cond, args)}: each branch function, its arguments read from the enclosing graph. */
  private static void branch(NodeContext ctx) throws ModelException {
    List<DataType> in = typeList(ctx, "Tin");
    List<DataType> out = typeList(ctx, "Tout");
    String prefix = ctx.uniqueName(ctx.node().name());
    List<Attribute> attrs = new ArrayList<>();
    for (String key : List.of("then_branch", "else_branch")) {
      FunctionGraphs.Body b = FunctionGraphs.chain(ctx.source(), prefix + "/" + key, in, List.of(func(ctx, key)));
      Map<TensorRef, String> outer = new HashMap<>();
      for (int i = 0; i < in.size(); i++) {
        outer.put(b.args().get(i), ctx.input(i + 1));
      }
      List<TfConverter.Fetch> fetches = new ArrayList<>();
      for (int k = 0; k < out.size(); k++) {
        fetches.add(new TfConverter.Fetch(ctx.uniqueName(prefix + "/" + key + "/out_" + k), b.results().get(0).get(k),
            Optional.of(Type.tensorOfUnknownRank(elementType(out.get(k))))));
      }
      attrs.add(Attribute.of(key, ctx.body(prefix + "/" + key, b.graph(), List.of(), outer, fetches)));
    }
    String cond = ctx.input(0);
    if (ctx.inputType(0).orElse(DataType.DT_BOOL) != DataType.DT_BOOL) {
      cond = ctx.emit("Cast", List.of(Ops.i("to", ElementType.BOOL.code())), cond); // non-zero is true
    }
    ctx.produceAll(out.size(), "If", attrs, cond);
  }

  private interface BodyConversion {
    void convert(NodeContext ctx) throws ModelException;
  }

  /** Runs {@code c}; a problem inside a body is reported on this node, with the body's own message. */
  private static void reported(NodeContext ctx, BodyConversion c) throws OpConversionException {
    try {
      c.convert(ctx);
    } catch (OpConversionException e) {
      throw e;
    } catch (ModelException e) {
      throw new OpConversionException("in a body function: " + e.getMessage());
    }
  }

  private static String func(NodeContext ctx, String key) throws OpConversionException {
    AttrValue f = ctx.node().attr(key).orElseThrow(() -> new OpConversionException("has no " + key + " function"));
    return f.getFunc().getName();
  }

  private static List<DataType> typeList(NodeContext ctx, String key) throws OpConversionException {
    AttrValue v = ctx.node().attr(key).orElseThrow(() -> new OpConversionException("has no type list " + key));
    return v.getList().getTypeList();
  }

  /** The element type a loop variable is carried as; a TensorList (DT_VARIANT) is a tensor of its elements. */
  private static ElementType carriedType(NodeContext ctx, DataType t, FunctionGraphs.Body step, int i)
      throws OpConversionException {
    if (t != DataType.DT_VARIANT) {
      return elementType(t);
    }
    DataType e = TensorListOps.elementType(ctx.source(), ctx.node().dataInputs().get(i))
        .or(() -> TensorListOps.readers(step.graph(), step.args().get(i)))
        .orElseThrow(() -> new OpConversionException("loop variable " + i
            + " is a variant that is not a TensorList of a known element type"));
    return elementType(e);
  }

  private static ElementType elementType(DataType t) throws OpConversionException {
    try {
      return TfTensors.elementType(t);
    } catch (ModelException e) {
      throw new OpConversionException(e.detail());
    }
  }

}
