package dev.modelbridge.tensorflow.convert;

import dev.modelbridge.UnsupportedModelException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A graph uses TensorFlow ops that have no handler, or nodes that cannot be converted as used.
 * Raised once, after the whole graph was tried, listing every op type with its node names.
 */
public class UnsupportedOpsException extends UnsupportedModelException {
  private static final long serialVersionUID = 1L;

  private final Map<String, List<String>> unsupportedOps;
  private final List<String> problems;

  public UnsupportedOpsException(Map<String, List<String>> unsupportedOps, List<String> problems) {
    super(message(unsupportedOps, problems));
    this.unsupportedOps = Map.copyOf(unsupportedOps);
    this.problems = List.copyOf(problems);
  }

  /** Each unsupported op type with the names of the nodes that use it. */
  public Map<String, List<String>> unsupportedOps() {
    return unsupportedOps;
  }

  /** Nodes of supported ops that could not be converted, each as {@code 'node' (Op): reason}. */
  public List<String> problems() {
    return problems;
  }

  /** TF1's dataflow control flow, which has no ONNX counterpart short of rebuilding the loops. */
  private static final java.util.Set<String> TF1_CONTROL_FLOW =
      java.util.Set.of("Switch", "Merge", "Enter", "Exit", "NextIteration", "LoopCond", "RefSwitch", "RefMerge");

  private static String message(Map<String, List<String>> ops, List<String> problems) {
    StringBuilder b = new StringBuilder();
    if (!ops.isEmpty()) {
      b.append(ops.size()).append(ops.size() == 1 ? " TensorFlow op is" : " TensorFlow ops are").append(" not supported: ");
      b.append(ops.entrySet().stream()
          .map(e -> e.getKey() + " (" + names(e.getValue()) + ")")
          .collect(Collectors.joining("; ")));
      if (ops.keySet().stream().anyMatch(TF1_CONTROL_FLOW::contains)) {
        b.append(" (TF1 control flow: Switch/Merge/Enter/Exit loops and conditionals are not converted;"
            + " TF2's functional While and If are, so re-export the model from TensorFlow 2)");
      }
    }
    if (!problems.isEmpty()) {
      b.append(b.length() > 0 ? "; and " : "").append(problems.size())
          .append(problems.size() == 1 ? " node cannot" : " nodes cannot").append(" be converted: ")
          .append(String.join("; ", problems.subList(0, Math.min(problems.size(), 20))))
          .append(problems.size() > 20 ? "; ..." : "");
    }
    return b.toString();
  }

  private static String names(List<String> nodes) {
    List<String> shown = nodes.subList(0, Math.min(nodes.size(), 5));
    return String.join(", ", shown) + (nodes.size() > shown.size() ? ", and " + (nodes.size() - shown.size()) + " more" : "");
  }
}
