package dev.modelbridge.infer;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.Type;
import dev.modelbridge.ir.ValueInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Infers one graph, node by node in order; nested graphs get their own instance. */
final class GraphInference {
  private final ShapeInference model;
  private final Graph graph;
  private final String path;
  private final Map<String, Type> inferred = new LinkedHashMap<>();
  private final Map<String, Type> types = new LinkedHashMap<>();
  private final List<GraphTypes.Incompatibility> issues = new ArrayList<>();
  private final Map<Graph, List<Optional<Type>>> doneSubgraphs = new IdentityHashMap<>();
  /** False for trial runs (a Loop body tried with fixed shapes), whose results are thrown away. */
  private final boolean record;

  GraphInference(ShapeInference model, Graph graph, String path) {
    this(model, graph, path, true);
  }

  private GraphInference(ShapeInference model, Graph graph, String path, boolean record) {
    this.model = model;
    this.graph = graph;
    this.path = path;
    this.record = record;
  }

  /**
   * Infers the graph; {@code inputTypes} (possibly shorter than the inputs) are types the owner
   * node knows for the graph's inputs, merged with their declarations. Returns the output types.
   */
  List<Optional<Type>> run(Env parent, List<Optional<Type>> inputTypes) {
    Env env = new Env(parent);
    for (int i = 0; i < graph.inputs().size(); i++) {
      ValueInfo in = graph.inputs().get(i);
      Optional<Type> given = i < inputTypes.size() ? inputTypes.get(i) : Optional.empty();
      Optional<Type> t = Types.merge(in.type(), given);
      env.putType(in.name(), t);
      t.ifPresent(x -> types.put(in.name(), x));
    }
    for (Tensor init : graph.initializers()) {
      env.putType(init.name(), Optional.of(init.type()));
      env.putConstant(init.name(), init);
      types.put(init.name(), init.type());
    }
    Map<String, Type> declared = new HashMap<>();
    for (ValueInfo v : graph.valueInfos()) {
      v.type().ifPresent(t -> declared.put(v.name(), t));
    }
    for (ValueInfo v : graph.outputs()) {
      v.type().ifPresent(t -> declared.putIfAbsent(v.name(), t));
    }
    for (Node node : graph.nodes()) {
      infer(node, env, declared);
    }
    if (record) {
      model.add(new GraphTypes(path, graph, inferred, types, issues));
    }
    List<Optional<Type>> outs = new ArrayList<>();
    for (ValueInfo o : graph.outputs()) {
      outs.add(Types.merge(env.type(o.name()), o.type()));
    }
    return outs;
  }

  private void infer(Node node, Env env, Map<String, Type> declared) {
    NodeContext c = new NodeContext(node, model.opset(node.domain()), env, this);
    Optional<InferenceHandler> h = model.isFunction(node.domain(), node.opType())
        ? Optional.empty() : model.handlers().find(node.domain(), node.opType());
    if (h.isPresent()) {
      try {
        h.get().infer(c);
      } catch (RuntimeException e) {
        // A handler meeting inputs it cannot read (malformed attributes, odd ranks) knows nothing;
        // other rules report malformed nodes.
      }
    }
    for (int i = 0; i < node.outputs().size(); i++) {
      String out = node.outputs().get(i);
      if (out.isEmpty()) {
        continue;
      }
      Optional<Type> got = c.outputType(i);
      got.ifPresent(t -> inferred.put(out, t));
      Optional<Type> merged = Types.merge(got, Optional.ofNullable(declared.get(out)));
      env.putType(out, merged);
      merged.ifPresent(t -> types.put(out, t));
      c.outputInts(i).ifPresent(d -> env.putInts(out, d));
      if ("Constant".equals(node.opType()) && node.domain().isEmpty()) {
        node.attribute("value").filter(Attribute.TensorAttr.class::isInstance)
            .ifPresent(a -> env.putConstant(out, ((Attribute.TensorAttr) a).value()));
      }
    }
    // Nested graphs the handler did not infer (ops it does not know) are inferred on their own.
    for (Graph g : node.subgraphs()) {
      if (!doneSubgraphs.containsKey(g)) {
        inferSubgraph(node, g, List.of(), env);
      }
    }
  }

  List<Optional<Type>> inferSubgraph(Node owner, Graph g, List<Optional<Type>> inputTypes, Env env) {
    List<Optional<Type>> done = doneSubgraphs.get(g);
    if (done != null) {
      return done;
    }
    List<Optional<Type>> outs = new GraphInference(model, g, subPath(owner, g), record).run(env, inputTypes);
    doneSubgraphs.put(g, outs);
    return outs;
  }

  /** Infers a subgraph without keeping anything but its output types, to try input types out. */
  List<Optional<Type>> trySubgraph(Graph g, List<Optional<Type>> inputTypes, Env env) {
    return new GraphInference(model, g, path, false).run(env, inputTypes);
  }

  private String subPath(Node n, Graph g) {
    for (Attribute a : n.attributes()) {
      List<Graph> subs = a instanceof Attribute.GraphAttr ga ? List.of(ga.value())
          : a instanceof Attribute.GraphsAttr gs ? gs.values() : List.of();
      for (int i = 0; i < subs.size(); i++) {
        if (subs.get(i) == g) {
          return path + "/" + (n.name().isEmpty() ? n.opType() : n.name()) + ":" + a.name()
              + (subs.size() > 1 ? "[" + i + "]" : "");
        }
      }
    }
    return path + "/" + n.opType();
  }

  void incompatible(Node node, String field, String message) {
    issues.add(new GraphTypes.Incompatibility(node, field, message));
  }
}
