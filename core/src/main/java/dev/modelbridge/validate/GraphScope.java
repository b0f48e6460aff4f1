package dev.modelbridge.validate;

import dev.modelbridge.ir.Function;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.OpsetImport;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One graph as rules see it: the main graph, a nested graph (with the values of the graphs around
 * it that it may read), or a function body (as a graph of its nodes, with its own opsets).
 *
 * @param path {@code main} for the main graph, {@code main/<node>:<attribute>} for nested graphs,
 *     {@code function <domain>:<name>} for function bodies
 * @param outerValues names defined by enclosing graphs, readable here
 * @param owner the node holding this graph in an attribute, for nested graphs
 * @param function the function, for function bodies
 */
public record GraphScope(
    Graph graph,
    String path,
    Location location,
    Set<String> outerValues,
    List<OpsetImport> opsets,
    Optional<Node> owner,
    Optional<Function> function) {

  public boolean isMain() {
    return owner.isEmpty() && function.isEmpty();
  }

  /** The location of a node of this graph. */
  public Location at(Node node) {
    return location.atNode(node.label());
  }
}
