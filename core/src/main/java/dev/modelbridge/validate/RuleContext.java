package dev.modelbridge.validate;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.Function;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.ValueInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What a rule sees of one model: the model, its file, the policy, every graph with its scope, and
 * shared analyses computed once per model. Not shared between threads: each model gets its own.
 */
public final class RuleContext {
  private final Model model;
  private final Path file;
  private final Policy policy;
  private final List<Finding> findings;
  private final Map<Class<?>, Object> shared = new ConcurrentHashMap<>();
  private List<GraphScope> scopes;
  private Rule current;

  RuleContext(Model model, Path file, Policy policy, List<Finding> findings) {
    this.model = model;
    this.file = file;
    this.policy = policy;
    this.findings = findings;
  }

  public Model model() {
    return model;
  }

  public Path file() {
    return file;
  }

  public Policy policy() {
    return policy;
  }

  /** The file's location, the root of every other. */
  public Location fileLocation() {
    return Location.ofFile(file.toString());
  }

  void runningRule(Rule rule) {
    current = rule;
  }

  /** Reports a finding of the running rule, with the severity the policy gives it. */
  public void report(Location where, String message) {
    findings.add(new Finding(current.id(), policy.severityOf(current), where, message));
  }

  /**
   * An analysis shared by several rules (type inference, the schema lookups of a model), computed
   * on first use and kept for this model.
   */
  @SuppressWarnings("unchecked")
  public <T> T shared(Class<T> key, Supplier<T> compute) {
    Object v = shared.get(key);
    if (v == null) {
      v = compute.get();
      shared.put(key, v);
    }
    return (T) v;
  }

  /** The main graph, every nested graph, and every function body, outermost first. */
  public List<GraphScope> graphs() {
    if (scopes == null) {
      List<GraphScope> out = new ArrayList<>();
      Graph main = model.graph();
      Location root = fileLocation();
      collect(main, "main", root.inGraph("main"), Set.of(), Optional.empty(), Optional.empty(), out);
      for (Function f : model.functions()) {
        Graph body = Graph.builder(f.name()).nodes(f.nodes()).build();
        for (String in : f.inputs()) {
          body = body.toBuilder().input(ValueInfo.untyped(in)).build();
        }
        for (String o : f.outputs()) {
          body = body.toBuilder().output(ValueInfo.untyped(o)).build();
        }
        String path = "function " + (f.domain().isEmpty() ? "" : f.domain() + ":") + f.name();
        collect(body, path, root.inGraph(path), Set.of(), Optional.empty(), Optional.of(f), out);
      }
      scopes = List.copyOf(out);
    }
    return scopes;
  }

  private void collect(Graph g, String path, Location loc, Set<String> outer, Optional<Node> owner,
      Optional<Function> function, List<GraphScope> out) {
    var opsets = function.map(Function::opsetImports).filter(l -> !l.isEmpty()).orElse(model.opsetImports());
    out.add(new GraphScope(g, path, loc, outer, opsets, owner, function));
    Set<String> visible = new HashSet<>(outer);
    g.inputs().forEach(v -> visible.add(v.name()));
    g.initializers().forEach(t -> visible.add(t.name()));
    g.sparseInitializers().forEach(t -> visible.add(t.name()));
    for (Node n : g.nodes()) {
      for (Attribute a : n.attributes()) {
        List<Graph> subs = a instanceof Attribute.GraphAttr ga ? List.of(ga.value())
            : a instanceof Attribute.GraphsAttr gs ? gs.values() : List.of();
        for (int i = 0; i < subs.size(); i++) {
          String sub = path + "/" + (n.name().isEmpty() ? n.opType() : n.name()) + ":" + a.name()
              + (subs.size() > 1 ? "[" + i + "]" : "");
          collect(subs.get(i), sub, loc.file().isEmpty() ? loc : Location.ofFile(loc.file()).inGraph(sub),
              Set.copyOf(visible), Optional.of(n), function, out);
        }
      }
      n.outputs().forEach(visible::add);
    }
  }

  /** Calls {@code action} for every initializer of every graph, with its graph. */
  public void forEachInitializer(java.util.function.BiConsumer<GraphScope, Tensor> action) {
    for (GraphScope s : graphs()) {
      s.graph().initializers().forEach(t -> action.accept(s, t));
    }
  }

  /** Calls {@code action} for every node of every graph. */
  public void forEachNode(java.util.function.BiConsumer<GraphScope, Node> action) {
    for (GraphScope s : graphs()) {
      s.graph().nodes().forEach(n -> action.accept(s, n));
    }
  }

}
