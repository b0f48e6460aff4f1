package dev.modelbridge.tensorflow.graph;

import dev.modelbridge.InvalidModelException;
import dev.modelbridge.ModelException;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * Library functions as graphs of their own, for the bodies of control-flow ops: a Placeholder per
 * argument, then calls of the functions in a chain (each call reads the previous one's outputs),
 * flattened by the {@link FunctionInliner}. All names start with a prefix, so that they stay apart
 * from the enclosing graph's names.
 */
public final class FunctionGraphs {

  /** The flat graph, its argument tensors and the outputs of each call in the chain. */
  public record Body(FlatGraph graph, List<TensorRef> args, List<List<TensorRef>> results) {}

  private FunctionGraphs() {}

  /**
   * Calls {@code functions} in turn on arguments of {@code argTypes}: the first reads the
   * arguments, each next one the previous call's outputs.
   */
  public static Body chain(FlatGraph outer, String prefix, List<DataType> argTypes, List<String> functions)
      throws ModelException {
    GraphDef.Builder g = GraphDef.newBuilder().setLibrary(outer.library());
    List<TensorRef> args = new ArrayList<>();
    List<String> in = new ArrayList<>();
    for (int i = 0; i < argTypes.size(); i++) {
      String name = prefix + "/arg_" + i;
      g.addNode(NodeDef.newBuilder().setName(name).setOp("Placeholder")
          .putAttr("dtype", AttrValue.newBuilder().setType(argTypes.get(i)).build()));
      args.add(new TensorRef(name, 0));
      in.add(name);
    }
    List<String> calls = new ArrayList<>();
    List<Integer> outCounts = new ArrayList<>();
    for (int c = 0; c < functions.size(); c++) {
      FunctionDef f = function(outer, functions.get(c));
      String call = prefix + "/" + c + "_" + f.getSignature().getName();
      g.addNode(NodeDef.newBuilder().setName(call).setOp(f.getSignature().getName()).addAllInput(in));
      calls.add(call);
      int outs = f.getSignature().getOutputArgCount();
      outCounts.add(outs);
      in = new ArrayList<>();
      for (int k = 0; k < outs; k++) {
        in.add(call + ":" + k);
      }
    }
    FlatGraph flat = FunctionInliner.flatten(g.build(), outer.opDefs());
    List<List<TensorRef>> results = new ArrayList<>();
    for (int c = 0; c < calls.size(); c++) {
      List<TensorRef> r = new ArrayList<>();
      for (int k = 0; k < outCounts.get(c); k++) {
        r.add(flat.resolve(new TensorRef(calls.get(c), k)));
      }
      results.add(r);
    }
    return new Body(flat, args, results);
  }

  private static FunctionDef function(FlatGraph outer, String name) throws ModelException {
    for (FunctionDef f : outer.library().getFunctionList()) {
      if (f.getSignature().getName().equals(name)) {
        return f;
      }
    }
    throw new InvalidModelException("the graph's function library has no function '" + name + "'");
  }
}
