package dev.modelbridge.infer;

import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Model;
import dev.modelbridge.validate.RuleContext;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Type and shape inference over a whole model: a {@link GraphTypes} for the main graph and for
 * every nested graph (If branches, Loop and Scan bodies). Model-local function bodies are not
 * inferred: calls of them, like ops of unknown domains, give outputs of unknown type.
 */
public final class ModelInference {
  private final List<GraphTypes> graphs;
  private final Map<Graph, GraphTypes> byGraph = new IdentityHashMap<>();

  ModelInference(List<GraphTypes> graphs) {
    this.graphs = List.copyOf(graphs);
    graphs.forEach(g -> byGraph.put(g.graph(), g));
  }

  /** Infers the types of every value of {@code model} with the standard handlers. */
  public static ModelInference infer(Model model) {
    return new ShapeInference(HandlerTable.standard(), model).run();
  }

  /** The inference of the context's model, computed once and shared by the rules that need it. */
  public static ModelInference of(RuleContext context) {
    return context.shared(ModelInference.class, () -> infer(context.model()));
  }

  /** Every inferred graph, the main graph first, then nested graphs in the order they were met. */
  public List<GraphTypes> graphs() {
    return graphs;
  }

  public GraphTypes main() {
    return graphs.get(0);
  }

  /** The result for a graph of the model (the very object), if it was inferred. */
  public Optional<GraphTypes> of(Graph graph) {
    return Optional.ofNullable(byGraph.get(graph));
  }
}
