package dev.modelbridge.tensorflow.export;

import dev.modelbridge.UnsupportedModelException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A graph uses ONNX ops that the SavedModel writer has no handler for, or nodes that cannot be
 * converted as used. Raised once, after every node was tried, listing each op with its node names.
 */
public class UnsupportedOnnxOpsException extends UnsupportedModelException {
  private static final long serialVersionUID = 1L;

  private final Map<String, List<String>> unsupportedOps;
  private final List<String> problems;

  public UnsupportedOnnxOpsException(Map<String, List<String>> unsupportedOps, List<String> problems) {
    super(message(unsupportedOps, problems));
    this.unsupportedOps = Map.copyOf(unsupportedOps);
    this.problems = List.copyOf(problems);
  }

  /** Each unsupported op (with its opset version) and the names of the nodes that use it. */
  public Map<String, List<String>> unsupportedOps() {
    return unsupportedOps;
  }

  /** Nodes of supported ops that could not be converted, each as {@code 'node' (Op): reason}. */
  public List<String> problems() {
    return problems;
  }

  private static String message(Map<String, List<String>> ops, List<String> problems) {
    StringBuilder b = new StringBuilder();
    if (!ops.isEmpty()) {
      b.append(ops.size()).append(ops.size() == 1 ? " ONNX op has" : " ONNX ops have")
          .append(" no TensorFlow conversion: ")
          .append(ops.entrySet().stream().map(e -> e.getKey() + " (" + names(e.getValue()) + ")")
              .collect(Collectors.joining("; ")));
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
