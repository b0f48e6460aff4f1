package dev.modelbridge;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A conversion met ops it has no handler for, or nodes it cannot convert as used. Raised once,
 * after every node was tried, listing each op with the names of the nodes that use it, so one run
 * tells the whole story. Each converter phrases the header in its own terms.
 */
public class UnsupportedOpsException extends UnsupportedModelException {
  private static final long serialVersionUID = 1L;

  private final Map<String, List<String>> unsupportedOps;
  private final List<String> problems;

  /**
   * @param one header after the count for one op, such as {@code " TensorFlow op is not supported: "}
   * @param many header after the count for several ops
   * @param hint appended after the op list when not empty
   */
  protected UnsupportedOpsException(Map<String, List<String>> unsupportedOps, List<String> problems,
      String one, String many, String hint) {
    super(message(unsupportedOps, problems, one, many, hint));
    this.unsupportedOps = Map.copyOf(unsupportedOps);
    this.problems = List.copyOf(problems);
  }

  /** Each unsupported op with the names of the nodes that use it. */
  public Map<String, List<String>> unsupportedOps() {
    return unsupportedOps;
  }

  /** Nodes of supported ops that could not be converted, each as {@code 'node' (Op): reason}. */
  public List<String> problems() {
    return problems;
  }

  private static String message(Map<String, List<String>> ops, List<String> problems, String one, String many,
      String hint) {
    StringBuilder b = new StringBuilder();
    if (!ops.isEmpty()) {
      b.append(ops.size()).append(ops.size() == 1 ? one : many)
          .append(ops.entrySet().stream().map(e -> e.getKey() + " (" + names(e.getValue()) + ")")
              .collect(Collectors.joining("; ")))
          .append(hint);
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
