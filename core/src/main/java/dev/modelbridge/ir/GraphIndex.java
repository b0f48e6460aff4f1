package dev.modelbridge.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * A read-only index of one graph: where each value comes from and where it is read, counting the
 * reads made from inside nested graphs (If branches, Loop and Scan bodies), which see the
 * enclosing graph's values by name. Derived once from an immutable {@link Graph}; empty names
 * (absent optional values) are never indexed.
 */
public final class GraphIndex {

  /** Where a value of the graph is defined. */
  public sealed interface Producer {
    /** The {@code index}-th graph input. */
    record GraphInput(int index) implements Producer {}

    /** The {@code index}-th (dense) initializer. */
    record Initializer(int index) implements Producer {}

    /** The {@code index}-th sparse initializer. */
    record SparseInitializer(int index) implements Producer {}

    /** Output {@code output} of node {@code node}. */
    record NodeOutput(int node, int output) implements Producer {}
  }

  /**
   * A read of a value, as input {@code input} of {@code reader}. {@code node} is the index, in
   * this graph, of the reader itself, or, when {@code nested}, of the node whose subgraph (at
   * any depth) contains the reader: an outer-scope reference.
   */
  public record Use(int node, int input, Node reader, boolean nested) {}

  private final Graph graph;
  private final Map<String, Producer> producers = new HashMap<>();
  private final Map<String, List<Use>> uses = new HashMap<>();
  private final Set<String> outputs = new HashSet<>();
  private final Set<String> outerScopeNames = new LinkedHashSet<>();
  /** Per node, the names it reads directly or from its subgraphs (including branch outputs). */
  private final List<Set<String>> reads = new ArrayList<>();

  private GraphIndex(Graph graph) {
    this.graph = graph;
    // The first definition wins. A name that is both an input and an initializer is the input:
    // the initializer is only its default (IR version 3 style), which a caller may override.
    for (int i = 0; i < graph.inputs().size(); i++) {
      define(graph.inputs().get(i).name(), new Producer.GraphInput(i));
    }
    for (int i = 0; i < graph.initializers().size(); i++) {
      define(graph.initializers().get(i).name(), new Producer.Initializer(i));
    }
    for (int i = 0; i < graph.sparseInitializers().size(); i++) {
      define(graph.sparseInitializers().get(i).name(), new Producer.SparseInitializer(i));
    }
    List<Node> nodes = graph.nodes();
    for (int n = 0; n < nodes.size(); n++) {
      List<String> outs = nodes.get(n).outputs();
      for (int o = 0; o < outs.size(); o++) {
        define(outs.get(o), new Producer.NodeOutput(n, o));
      }
    }
    for (int n = 0; n < nodes.size(); n++) {
      reads.add(new LinkedHashSet<>());
    }
    for (int n = 0; n < nodes.size(); n++) {
      Node node = nodes.get(n);
      List<String> ins = node.inputs();
      for (int i = 0; i < ins.size(); i++) {
        use(ins.get(i), new Use(n, i, node, false));
      }
      for (Graph sub : node.subgraphs()) {
        indexNested(n, sub, Set.of());
      }
    }
    for (ValueInfo out : graph.outputs()) {
      outputs.add(out.name());
      if (!producers.containsKey(out.name()) && !out.name().isEmpty()) {
        outerScopeNames.add(out.name());
      }
    }
  }

  /** Indexes {@code graph}. */
  public static GraphIndex of(Graph graph) {
    return new GraphIndex(graph);
  }

  public Graph graph() {
    return graph;
  }

  /** Where {@code value} is defined in this graph; empty when it is not (an outer-scope name). */
  public Optional<Producer> producer(String value) {
    return Optional.ofNullable(producers.get(value));
  }

  /** The node that computes {@code value}, when a node of this graph does. */
  public Optional<Node> producerNode(String value) {
    return producer(value)
        .filter(p -> p instanceof Producer.NodeOutput)
        .map(p -> graph.nodes().get(((Producer.NodeOutput) p).node()));
  }

  /**
   * Every read of {@code value} by a node, in node order, a node's nested reads after its direct
   * ones. Graph outputs are not uses; see {@link #isGraphOutput}.
   */
  public List<Use> uses(String value) {
    return Collections.unmodifiableList(uses.getOrDefault(value, List.of()));
  }

  /** Whether {@code value} is one of the graph's outputs. */
  public boolean isGraphOutput(String value) {
    return outputs.contains(value);
  }

  /**
   * Names this graph (or a graph nested in it) reads or outputs but does not define, in order of
   * first appearance: for a subgraph, its references to enclosing graphs; for a main graph, its
   * dangling references.
   */
  public Set<String> outerScopeNames() {
    return Collections.unmodifiableSet(outerScopeNames);
  }

  /**
   * The index of the first node that reads, directly or from a subgraph, a value produced by
   * itself or a later node; empty when the nodes are in topological order. Values not produced
   * by a node are ignored.
   */
  public OptionalInt firstOutOfOrder() {
    List<Node> nodes = graph.nodes();
    for (int n = 0; n < nodes.size(); n++) {
      for (int dep : dependencies(n)) {
        if (dep >= n) {
          return OptionalInt.of(n);
        }
      }
    }
    return OptionalInt.empty();
  }

  /** Whether every node comes after the nodes it reads from. */
  public boolean isTopologicallySorted() {
    return firstOutOfOrder().isEmpty();
  }

  /**
   * Node indexes in a topological order that keeps the original order wherever it can (a node
   * goes as early as its inputs allow, ties broken by index); empty when the nodes form a cycle.
   */
  public Optional<List<Integer>> topologicalOrder() {
    int count = graph.nodes().size();
    List<List<Integer>> dependents = new ArrayList<>(count);
    int[] pending = new int[count];
    for (int n = 0; n < count; n++) {
      dependents.add(new ArrayList<>());
    }
    for (int n = 0; n < count; n++) {
      for (int dep : dependencies(n)) {
        dependents.get(dep).add(n);
        pending[n]++;
      }
    }
    PriorityQueue<Integer> ready = new PriorityQueue<>();
    for (int n = 0; n < count; n++) {
      if (pending[n] == 0) {
        ready.add(n);
      }
    }
    List<Integer> order = new ArrayList<>(count);
    while (!ready.isEmpty()) {
      int n = ready.poll();
      order.add(n);
      for (int d : dependents.get(n)) {
        if (--pending[d] == 0) {
          ready.add(d);
        }
      }
    }
    return order.size() == count ? Optional.of(List.copyOf(order)) : Optional.empty();
  }

  /** The distinct nodes that node {@code n} reads from, directly or from its subgraphs. */
  private Set<Integer> dependencies(int n) {
    Set<Integer> deps = new LinkedHashSet<>();
    for (String value : reads.get(n)) {
      Producer p = producers.get(value);
      if (p instanceof Producer.NodeOutput out) {
        deps.add(out.node());
      }
    }
    return deps;
  }

  /**
   * Records the reads made inside {@code sub} (held by node {@code owner}) of names that neither
   * {@code sub} nor the subgraphs between it and this graph define.
   */
  private void indexNested(int owner, Graph sub, Set<String> definedBetween) {
    Set<String> local = new HashSet<>(definedBetween);
    sub.inputs().forEach(v -> local.add(v.name()));
    sub.initializers().forEach(t -> local.add(t.name()));
    sub.sparseInitializers().forEach(t -> local.add(t.name()));
    sub.nodes().forEach(nd -> local.addAll(nd.outputs()));
    for (Node node : sub.nodes()) {
      List<String> ins = node.inputs();
      for (int i = 0; i < ins.size(); i++) {
        if (!local.contains(ins.get(i))) {
          use(ins.get(i), new Use(owner, i, node, true));
        }
      }
      for (Graph deeper : node.subgraphs()) {
        indexNested(owner, deeper, local);
      }
    }
    for (ValueInfo out : sub.outputs()) {
      // A branch may output an enclosing value directly: a read that no node makes, so it is
      // no Use, but it still orders the owner after the value's producer.
      String name = out.name();
      if (!local.contains(name) && !name.isEmpty()) {
        reads.get(owner).add(name);
        if (!producers.containsKey(name)) {
          outerScopeNames.add(name);
        }
      }
    }
  }

  private void define(String name, Producer p) {
    if (!name.isEmpty()) {
      producers.putIfAbsent(name, p);
    }
  }

  private void use(String name, Use u) {
    if (name.isEmpty()) {
      return;
    }
    uses.computeIfAbsent(name, k -> new ArrayList<>()).add(u);
    reads.get(u.node()).add(name);
    if (!producers.containsKey(name)) {
      outerScopeNames.add(name);
    }
  }
}
