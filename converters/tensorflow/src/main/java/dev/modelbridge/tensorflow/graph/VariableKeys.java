package dev.modelbridge.tensorflow.graph;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tensorflow.proto.TensorProto;

/**
 * Finds the checkpoint key of each variable from the saver's restore ops: a restore op
 * ({@code RestoreV2}) reads tensors named by a string constant, and an {@code Assign} (TF1
 * reference variables) or {@code AssignVariableOp} (resource variables) stores output {@code i}
 * into a variable. In a TF2 SavedModel the restore op is a call of the restore function, so the
 * graph must be {@linkplain FunctionInliner flattened} first; then both kinds look the same.
 */
public final class VariableKeys {
  /** The variable ops whose output is the variable itself (a reference or a resource handle). */
  public static final Set<String> VARIABLE_OPS = Set.of("VariableV2", "Variable", "VarHandleOp");

  private VariableKeys() {}

  /**
   * Variable node name to checkpoint key, for the assignments reachable from {@code restoreOp}
   * (a node name, {@code :0} allowed), or from every node when the restore op is absent.
   */
  public static Map<String, String> find(FlatGraph graph, Optional<String> restoreOp) {
    Collection<TfNode> scope = restoreOp
        .map(VariableKeys::nodeName)
        .flatMap(graph::node)
        .map(n -> reachable(graph, n))
        .orElseGet(() -> List.copyOf(graph.nodes()));
    Map<String, String> keys = new HashMap<>();
    for (TfNode n : scope) {
      if (!(n.op().equals("Assign") || n.op().equals("AssignVariableOp")) || n.dataInputs().size() < 2) {
        continue;
      }
      TensorRef target = graph.throughIdentities(n.dataInputs().get(0));
      Optional<TfNode> variable = graph.node(target.node()).filter(v -> VARIABLE_OPS.contains(v.op()));
      Optional<String> key = restoredKey(graph, graph.throughIdentities(n.dataInputs().get(1)));
      if (variable.isPresent() && key.isPresent()) {
        keys.putIfAbsent(variable.get().name(), key.get());
      }
    }
    return keys;
  }

  /** The node of a tensor or node name from the file, however malformed its index. */
  private static String nodeName(String tensor) {
    String s = tensor.startsWith("^") ? tensor.substring(1) : tensor;
    int colon = s.lastIndexOf(':');
    return colon < 0 ? s : s.substring(0, colon);
  }

  /** The checkpoint key a restore op's output reads, when {@code value} is one. */
  private static Optional<String> restoredKey(FlatGraph graph, TensorRef value) {
    Optional<TfNode> restore = graph.node(value.node());
    if (restore.isEmpty() || restore.get().dataInputs().size() < 2) {
      return Optional.empty();
    }
    TfNode r = restore.get();
    int i = switch (r.op()) {
      case "RestoreV2" -> value.index();
      case "Restore", "RestoreSlice" -> 0;
      default -> -1;
    };
    if (i < 0) {
      return Optional.empty();
    }
    TensorRef names = graph.throughIdentities(r.dataInputs().get(1));
    return graph.node(names.node())
        .filter(c -> c.op().equals("Const"))
        .flatMap(c -> c.attr("value"))
        .map(v -> v.getTensor())
        .filter(t -> i < stringCount(t))
        .map(t -> t.getStringVal(t.getStringValCount() == 1 ? 0 : i).toStringUtf8());
  }

  private static int stringCount(TensorProto t) {
    long n = 1;
    for (var d : t.getTensorShape().getDimList()) {
      n *= d.getSize();
    }
    return t.getStringValCount() == 1 ? (int) n : t.getStringValCount();
  }

  /** Every node {@code start} depends on, through data and control edges, itself included. */
  private static List<TfNode> reachable(FlatGraph graph, TfNode start) {
    Set<String> seen = new HashSet<>();
    Deque<TfNode> todo = new ArrayDeque<>();
    todo.push(start);
    seen.add(start.name());
    List<TfNode> out = new java.util.ArrayList<>();
    while (!todo.isEmpty()) {
      TfNode n = todo.pop();
      out.add(n);
      for (TensorRef r : n.inputs()) {
        if (seen.add(r.node())) {
          graph.node(r.node()).ifPresent(todo::push);
        }
      }
    }
    return out;
  }
}
