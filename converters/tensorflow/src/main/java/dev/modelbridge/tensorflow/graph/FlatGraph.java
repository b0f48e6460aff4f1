package dev.modelbridge.tensorflow.graph;

import dev.modelbridge.InvalidModelException;
import dev.modelbridge.ModelException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.proto.FunctionDefLibrary;

/**
 * A TensorFlow graph with every function call inlined: nodes by name, in the order they were
 * added (not necessarily topological). Immutable once built by {@link FunctionInliner}.
 */
public final class FlatGraph {
  private final Map<String, TfNode> nodes;
  private final Map<String, TensorRef> aliases;
  private final FunctionDefLibrary library;
  private final OpDefs opDefs;

  FlatGraph(Map<String, TfNode> nodes, Map<String, TensorRef> aliases, FunctionDefLibrary library, OpDefs opDefs) {
    this.nodes = new LinkedHashMap<>(nodes);
    this.aliases = Map.copyOf(aliases);
    this.library = library;
    this.opDefs = opDefs;
  }

  /** The function library the graph came with: the bodies of While and If nodes live there. */
  public FunctionDefLibrary library() {
    return library;
  }

  OpDefs opDefs() {
    return opDefs;
  }

  /**
   * The tensor {@code ref} names once function calls are inlined: an output of a call node is the
   * function's return value. Other references are returned as they are.
   */
  public TensorRef resolve(TensorRef ref) throws ModelException {
    return resolve(aliases, ref);
  }

  static TensorRef resolve(Map<String, TensorRef> aliases, TensorRef ref) throws ModelException {
    TensorRef cur = ref;
    for (int guard = 0; !cur.isControl() && aliases.containsKey(cur.toString()); guard++) {
      if (guard > 1000) {
        throw new InvalidModelException("function return values refer to each other in a cycle at '" + ref + "'");
      }
      cur = aliases.get(cur.toString());
    }
    return cur;
  }

  public Optional<TfNode> node(String name) {
    return Optional.ofNullable(nodes.get(name));
  }

  public Collection<TfNode> nodes() {
    return nodes.values();
  }

  public int size() {
    return nodes.size();
  }

  /**
   * Follows {@code Identity}-like ops from {@code ref} back to the first other producer: the
   * tensor that holds the same value.
   */
  public TensorRef throughIdentities(TensorRef ref) {
    TensorRef r = ref;
    for (int guard = 0; guard < 10_000; guard++) {
      TfNode n = nodes.get(r.node());
      if (n == null || !(n.op().equals("Identity") || n.op().equals("Snapshot") || n.op().equals("StopGradient")
          || (n.op().equals("IdentityN") && r.index() < n.dataInputs().size()))) {
        return r;
      }
      r = n.op().equals("IdentityN") ? n.dataInputs().get(r.index()) : n.dataInputs().get(0);
    }
    return r;
  }
}
