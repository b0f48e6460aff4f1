package dev.modelbridge.tensorflow.export;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.NameAttrList;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;

/**
 * The body of a TensorFlow function under construction (an If branch, a While condition or body):
 * its arguments, the nodes emitted into {@link #graph()} as into any graph, and its results. On
 * {@link #finish}, node inputs are renamed from GraphDef's {@code node:index} to FunctionDef's
 * {@code node:output_arg:index} and the function is added to the root graph's library.
 */
final class TfFunction {
  private final TfGraph body;
  private final List<OpDef.ArgDef> args = new ArrayList<>();
  private final Set<String> argNames = new HashSet<>();

  TfFunction(TfGraph outer) {
    this.body = outer.function();
  }

  /** The graph the body's nodes are emitted into. */
  TfGraph graph() {
    return body;
  }

  /** Adds an argument; the returned tensor stands for it in the body. */
  TfRef arg(String hint, DataType dtype) {
    String base = argName(hint);
    String name = base;
    for (int i = 1; !body.reserve(name); i++) {
      name = base + "_" + i;
    }
    args.add(OpDef.ArgDef.newBuilder().setName(name).setType(dtype).build());
    argNames.add(name);
    return new TfRef(name, 0, dtype);
  }

  /** One argument per dtype of {@code like}, in order. */
  List<TfRef> args(String hint, List<TfRef> like) {
    List<TfRef> out = new ArrayList<>();
    like.forEach(r -> out.add(arg(hint, r.dtype())));
    return out;
  }

  /** Argument names of OpDefs match {@code [a-z][a-z0-9_]*}. */
  private static String argName(String hint) {
    StringBuilder b = new StringBuilder();
    for (char c : hint.toLowerCase(java.util.Locale.ROOT).toCharArray()) {
      b.append(c < 128 && Character.isLetterOrDigit(c) ? c : '_');
    }
    if (b.length() == 0 || !Character.isLetter(b.charAt(0))) {
      b.insert(0, "a_");
    }
    return b.toString();
  }

  /**
   * Adds the function returning {@code results} to the library, named after {@code hint}; returns
   * its actual name.
   */
  String finish(String hint, List<TfRef> results) {
    OpDef.Builder sig = OpDef.newBuilder().setName(hint).addAllInputArg(args);
    Map<String, String> ret = new java.util.LinkedHashMap<>();
    for (int i = 0; i < results.size(); i++) {
      TfRef r = results.get(i);
      // An Identity per result: a result may be an argument, which a ret cannot name by output arg.
      TfRef id = body.op("Identity", "result_" + i).input(r).attr("T", r.dtype()).output(r.dtype());
      sig.addOutputArg(OpDef.ArgDef.newBuilder().setName("output_" + i).setType(r.dtype()));
      ret.put("output_" + i, id.node() + ":output:0");
    }
    Map<String, NodeDef> byName = new HashMap<>();
    body.nodes().forEach(n -> byName.put(n.getName(), n));
    FunctionDef.Builder f = FunctionDef.newBuilder().setSignature(sig).putAllRet(ret);
    for (NodeDef n : body.nodes()) {
      NodeDef.Builder b = n.toBuilder().clearInput();
      for (String in : n.getInputList()) {
        b.addInput(rename(in, byName));
      }
      f.addNodeDef(b);
    }
    return body.addFunction(f.build());
  }

  private String rename(String in, Map<String, NodeDef> byName) {
    if (in.startsWith("^")) {
      return in;
    }
    int colon = in.lastIndexOf(':');
    String node = colon < 0 ? in : in.substring(0, colon);
    int index = colon < 0 ? 0 : Integer.parseInt(in.substring(colon + 1));
    if (argNames.contains(node)) {
      return node;
    }
    NodeDef def = byName.get(node);
    if (def == null) {
      throw new IllegalStateException("a function body reads '" + in + "', which is neither an argument nor a node of it");
    }
    return TfOutputArgs.functionRef(def, index);
  }

  /** A function-valued attribute naming {@code function}. */
  static AttrValue func(String function) {
    return AttrValue.newBuilder().setFunc(NameAttrList.newBuilder().setName(function)).build();
  }
}
