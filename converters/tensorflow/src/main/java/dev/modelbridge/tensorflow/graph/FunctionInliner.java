package dev.modelbridge.tensorflow.graph;

import dev.modelbridge.InvalidModelException;
import dev.modelbridge.ModelException;
import dev.modelbridge.format.Limits;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;

/**
 * Flattens a {@code GraphDef}: every {@code PartitionedCall}, {@code StatefulPartitionedCall} and
 * direct call of a library function is replaced by the function's body, nested calls included.
 *
 * <p>A body node {@code n} of a call node {@code c} becomes {@code c/n}; its inputs are rewritten
 * from {@code arg} (a function argument: the caller's matching input) and
 * {@code node:output_arg:index} (an output of a body node: its flat index, found through the op
 * definitions) to flat {@code node:index} names. Attribute placeholders are substituted from the
 * caller's attributes. The call node itself stays as a {@code NoOp} with control edges to its body,
 * so that control dependencies on it (a restore op) still reach the body; its data outputs become
 * aliases of the function's return values.
 */
public final class FunctionInliner {
  private final Limits limits;
  /** The functions being inlined, outermost first: a callee already here is a recursion. */
  private final java.util.ArrayDeque<String> active = new java.util.ArrayDeque<>();
  private final Map<String, FunctionDef> library = new HashMap<>();
  private final OpDefs opDefs;
  private final Map<String, TfNode> nodes = new LinkedHashMap<>();
  private final Map<String, TensorRef> aliases = new HashMap<>();

  private FunctionInliner(GraphDef graph, OpDefs opDefs, Limits limits) {
    this.opDefs = opDefs;
    this.limits = limits;
    for (FunctionDef f : graph.getLibrary().getFunctionList()) {
      library.put(f.getSignature().getName(), f);
    }
  }

  /** The flat form of {@code graph}. */
  public static FlatGraph flatten(GraphDef graph, OpDefs opDefs) throws ModelException {
    return flatten(graph, opDefs, Limits.defaults());
  }

  /**
   * The flat form of {@code graph} within {@code limits}: a function that calls itself (directly
   * or through others), calls nested deeper than {@link Limits#maxCallDepth()}, or an expansion to
   * more than {@link Limits#maxNodes()} nodes end in an {@link InvalidModelException}.
   */
  public static FlatGraph flatten(GraphDef graph, OpDefs opDefs, Limits limits) throws ModelException {
    FunctionInliner in = new FunctionInliner(graph, opDefs, limits);
    in.checkExpansion(graph);
    for (NodeDef n : graph.getNodeList()) {
      List<TensorRef> inputs = new ArrayList<>();
      for (String s : n.getInputList()) {
        inputs.add(parse(s, n.getName()));
      }
      in.add(n, n.getName(), inputs, Map.of(), 0);
    }
    return new FlatGraph(in.resolveAliases(), in.aliases, graph.getLibrary(), opDefs);
  }

  /**
   * Counts the nodes inlining would make, before making any: a recursive call, calls nested past
   * the limit, or a library whose calls fan out to more than {@link Limits#maxNodes()} nodes (a
   * function calling another twice, forty levels down, is 2^40 nodes) is refused up front.
   */
  private void checkExpansion(GraphDef graph) throws ModelException {
    Map<String, Long> memo = new HashMap<>();
    long total = 0;
    for (NodeDef n : graph.getNodeList()) {
      total = Math.min(Long.MAX_VALUE / 2, total + cost(n, memo, 0));
      if (total > limits.maxNodes()) {
        throw new InvalidModelException("the graph would have more than " + limits.maxNodes()
            + " nodes once its functions are inlined (limit maxNodes)");
      }
    }
  }

  private long cost(NodeDef n, Map<String, Long> memo, int depth) throws ModelException {
    FunctionDef f = callee(n);
    if (f == null) {
      return 1;
    }
    String fn = f.getSignature().getName();
    Long known = memo.get(fn);
    if (known != null) {
      return known;
    }
    if (active.contains(fn)) {
      List<String> path = new ArrayList<>(active);
      path = path.subList(path.indexOf(fn), path.size());
      throw new InvalidModelException("function '" + fn + "' calls itself"
          + (path.size() > 1 ? " through " + String.join(" -> ", path) + " -> " + fn : "")
          + "; recursive functions cannot be inlined");
    }
    if (depth >= limits.maxCallDepth()) {
      throw new InvalidModelException("function calls nest deeper than " + limits.maxCallDepth()
          + " (limit maxCallDepth) at function '" + fn + "'");
    }
    active.addLast(fn);
    long sum = 1;
    try {
      for (NodeDef b : f.getNodeDefList()) {
        sum = Math.min(Long.MAX_VALUE / 2, sum + cost(b, memo, depth + 1));
      }
    } finally {
      active.removeLast();
    }
    memo.put(fn, sum);
    return sum;
  }

  /** The function a node calls, or null when it is not a call. */
  private FunctionDef callee(NodeDef n) {
    if (n.getOp().equals("PartitionedCall") || n.getOp().equals("StatefulPartitionedCall")) {
      AttrValue f = n.getAttrMap().get("f");
      return f == null ? null : library.get(f.getFunc().getName());
    }
    return library.get(n.getOp());
  }

  private void add(NodeDef n, String name, List<TensorRef> inputs, Map<String, AttrValue> subst, int depth)
      throws ModelException {
    Map<String, AttrValue> attrs = substitute(n.getAttrMap(), subst, name);
    FunctionDef f = callee(n);
    if (f == null) {
      put(new TfNode(name, n.getOp(), inputs, attrs));
      return;
    }
    String fn = f.getSignature().getName();
    if (active.contains(fn)) {
      List<String> path = new ArrayList<>(active);
      path = path.subList(path.indexOf(fn), path.size());
      throw new InvalidModelException("function '" + fn + "' calls itself"
          + (path.size() > 1 ? " through " + String.join(" -> ", path) + " -> " + fn : "")
          + "; recursive functions cannot be inlined").within("node '" + name + "'");
    }
    if (depth >= limits.maxCallDepth()) {
      throw new InvalidModelException("function calls nest deeper than " + limits.maxCallDepth()
          + " (limit maxCallDepth)").within("node '" + name + "'");
    }
    active.addLast(fn);
    try {
      inline(f, name, inputs, attrs, depth + 1);
    } finally {
      active.removeLast();
    }
  }

  private void inline(FunctionDef f, String call, List<TensorRef> inputs, Map<String, AttrValue> callAttrs, int depth)
      throws ModelException {
    OpDef sig = f.getSignature();
    List<TensorRef> data = inputs.stream().filter(r -> !r.isControl()).toList();
    if (data.size() != sig.getInputArgCount()) {
      throw new InvalidModelException("calls function '" + sig.getName() + "' with " + data.size()
          + " inputs; it takes " + sig.getInputArgCount()).within("node '" + call + "'");
    }
    Map<String, TensorRef> args = new HashMap<>();
    for (int i = 0; i < data.size(); i++) {
      args.put(sig.getInputArg(i).getName(), data.get(i));
    }
    Map<String, AttrValue> subst = new HashMap<>(callAttrs);
    AttrValue fAttr = callAttrs.get("f");
    if (fAttr != null) {
      subst.putAll(fAttr.getFunc().getAttrMap());
    }
    Map<String, NodeDef> body = new HashMap<>();
    f.getNodeDefList().forEach(b -> body.put(b.getName(), b));
    String prefix = call + "/";
    List<TensorRef> controls = new ArrayList<>();
    for (NodeDef b : f.getNodeDefList()) {
      List<TensorRef> in = new ArrayList<>();
      for (String s : b.getInputList()) {
        in.add(bodyRef(s, args, body, prefix, sig.getName()));
      }
      add(b, prefix + b.getName(), in, subst, depth);
      controls.add(new TensorRef(prefix + b.getName(), -1));
    }
    // The call node remains as a NoOp that depends on its whole body.
    List<TensorRef> callControls = new ArrayList<>(controls);
    inputs.stream().filter(TensorRef::isControl).forEach(callControls::add);
    put(new TfNode(call, "NoOp", callControls, Map.of()));
    for (int k = 0; k < sig.getOutputArgCount(); k++) {
      String argName = sig.getOutputArg(k).getName();
      String ret = f.getRetMap().get(argName);
      if (ret == null) {
        throw new InvalidModelException("function '" + sig.getName() + "' does not return output '" + argName + "'");
      }
      aliases.put(call + ":" + k, bodyRef(ret, args, body, prefix, sig.getName()));
    }
  }

  private TensorRef bodyRef(String s, Map<String, TensorRef> args, Map<String, NodeDef> body, String prefix, String fn)
      throws ModelException {
    boolean control = s.startsWith("^");
    String t = control ? s.substring(1) : s;
    String[] parts = t.split(":");
    if (parts.length == 1) {
      TensorRef arg = args.get(t);
      if (arg != null) {
        return control ? new TensorRef(arg.node(), -1) : arg;
      }
      if (control && body.containsKey(t)) {
        return new TensorRef(prefix + t, -1);
      }
      throw new InvalidModelException("function '" + fn + "' refers to unknown value '" + s + "'");
    }
    NodeDef producer = body.get(parts[0]);
    if (producer == null || parts.length != 3) {
      throw new InvalidModelException("function '" + fn + "' refers to unknown value '" + s + "'");
    }
    FunctionDef callee = callee(producer);
    List<OpDef.ArgDef> outs = callee == null ? null : callee.getSignature().getOutputArgList();
    if (callee != null && !producer.getOp().equals(callee.getSignature().getName())) {
      outs = null; // (Stateful)PartitionedCall: one list argument "output"
    }
    try {
      int index = opDefs.flatIndex(producer, outs, parts[1], Integer.parseInt(parts[2]));
      return new TensorRef(prefix + parts[0], index);
    } catch (IllegalArgumentException e) {
      throw new InvalidModelException("function '" + fn + "': value '" + s + "': " + e.getMessage());
    }
  }

  private static Map<String, AttrValue> substitute(Map<String, AttrValue> attrs, Map<String, AttrValue> subst, String node)
      throws ModelException {
    Map<String, AttrValue> out = new HashMap<>(attrs);
    for (Map.Entry<String, AttrValue> e : attrs.entrySet()) {
      if (e.getValue().getValueCase() == AttrValue.ValueCase.PLACEHOLDER) {
        AttrValue v = subst.get(e.getValue().getPlaceholder());
        if (v == null) {
          throw new InvalidModelException("attribute '" + e.getKey() + "' refers to '" + e.getValue().getPlaceholder()
              + "', which the caller does not set").within("node '" + node + "'");
        }
        out.put(e.getKey(), v);
      }
    }
    return out;
  }

  private void put(TfNode n) throws ModelException {
    if (nodes.size() >= limits.maxNodes()) {
      throw new InvalidModelException("the graph has more than " + limits.maxNodes()
          + " nodes once its functions are inlined (limit maxNodes)");
    }
    if (nodes.putIfAbsent(n.name(), n) != null) {
      throw new InvalidModelException("two nodes are called '" + n.name() + "'");
    }
  }

  private static TensorRef parse(String s, String node) throws ModelException {
    try {
      return TensorRef.parse(s);
    } catch (IllegalArgumentException e) {
      throw new InvalidModelException(e.getMessage()).within("node '" + node + "'");
    }
  }

  /** Rewrites every input that names a call's output to the value the call returns. */
  private Map<String, TfNode> resolveAliases() throws ModelException {
    Map<String, TfNode> out = new LinkedHashMap<>();
    for (TfNode n : nodes.values()) {
      List<TensorRef> in = new ArrayList<>();
      for (TensorRef r : n.inputs()) {
        in.add(resolve(r));
      }
      out.put(n.name(), new TfNode(n.name(), n.op(), in, n.attrs()));
    }
    return out;
  }

  private TensorRef resolve(TensorRef r) throws ModelException {
    return FlatGraph.resolve(aliases, r);
  }
}
