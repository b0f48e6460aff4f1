package dev.modelbridge.infer;

import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.Type;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The inference result of one graph.
 *
 * @param path {@code main}, or {@code main/<node>:<attribute>} for nested graphs (as rules name them)
 * @param inferred value name to the type inference found from the node's inputs, before the value's
 *     own declaration is taken into account (node outputs only)
 * @param types value name to the type the value has: inputs, initializers and node outputs, the
 *     inferred type merged with the declared one
 * @param incompatibilities nodes whose inputs cannot go together
 */
public record GraphTypes(
    String path,
    Graph graph,
    Map<String, Type> inferred,
    Map<String, Type> types,
    List<Incompatibility> incompatibilities) {

  public GraphTypes {
    inferred = Map.copyOf(inferred);
    types = Map.copyOf(types);
    incompatibilities = List.copyOf(incompatibilities);
  }

  public Optional<Type> type(String value) {
    return Optional.ofNullable(types.get(value));
  }

  public Optional<Type> inferred(String value) {
    return Optional.ofNullable(inferred.get(value));
  }

  /** Inputs of {@code node} that cannot go together; {@code field} names the input or attribute. */
  public record Incompatibility(Node node, String field, String message) {}
}
