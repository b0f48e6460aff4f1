package dev.modelbridge.validate.rules.structure;

import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.SparseTensor;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.ValueInfo;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Names a graph defines and names its nested graphs read from outside, shared by the structure and
 * hygiene rules. Empty names (absent optional values) are never included.
 */
public final class GraphNames {
  private GraphNames() {}

  /** Every name {@code g} itself defines: inputs, initializers, sparse initializers, node outputs. */
  public static Set<String> definedIn(Graph g) {
    Set<String> out = new HashSet<>();
    g.inputs().forEach(v -> add(out, v.name()));
    g.initializers().forEach(t -> add(out, t.name()));
    g.sparseInitializers().forEach(t -> add(out, t.name()));
    for (Node n : g.nodes()) {
      n.outputs().forEach(o -> add(out, o));
    }
    return out;
  }

  /**
   * The names that {@code sub}, or any graph nested in it, reads (as node inputs or as graph
   * outputs) without defining them: its references to enclosing graphs, in order of first use.
   */
  public static Set<String> outerReads(Graph sub) {
    Set<String> out = new LinkedHashSet<>();
    collectOuterReads(sub, Set.of(), out);
    return out;
  }

  /** The outer reads of every graph held by {@code node}'s attributes. */
  public static Set<String> outerReads(Node node) {
    Set<String> out = new LinkedHashSet<>();
    for (Graph sub : node.subgraphs()) {
      collectOuterReads(sub, Set.of(), out);
    }
    return out;
  }

  private static void collectOuterReads(Graph g, Set<String> definedBetween, Set<String> out) {
    Set<String> local = new HashSet<>(definedBetween);
    local.addAll(definedIn(g));
    for (Node n : g.nodes()) {
      for (String in : n.inputs()) {
        if (!in.isEmpty() && !local.contains(in)) {
          out.add(in);
        }
      }
      for (Graph deeper : n.subgraphs()) {
        collectOuterReads(deeper, local, out);
      }
    }
    for (ValueInfo o : g.outputs()) {
      if (!o.name().isEmpty() && !local.contains(o.name())) {
        out.add(o.name());
      }
    }
  }

  /** A field label such as {@code input 1 'B'}. */
  public static String field(String kind, int index, String name) {
    return kind + " " + index + " '" + name + "'";
  }

  /** The label of an initializer field, such as {@code initializer 'w'}. */
  public static String initializer(Tensor t) {
    return "initializer '" + t.name() + "'";
  }

  /** The label of a sparse initializer field. */
  public static String sparseInitializer(SparseTensor t) {
    return "sparse initializer '" + t.name() + "'";
  }

  private static void add(Set<String> s, String name) {
    if (!name.isEmpty()) {
      s.add(name);
    }
  }
}
