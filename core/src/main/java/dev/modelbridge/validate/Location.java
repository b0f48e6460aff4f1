package dev.modelbridge.validate;

/**
 * Where a finding is: the file, the graph (nested graphs as a path such as
 * {@code main/loop_1:body}), the node (its name, or op and first output when unnamed), and the field
 * of that node or graph (such as {@code input 1 'B'}, {@code attribute 'axis'},
 * {@code initializer 'w'}). Parts that do not apply are empty.
 */
public record Location(String file, String graph, String node, String field) {
  public Location {
    file = file == null ? "" : file;
    graph = graph == null ? "" : graph;
    node = node == null ? "" : node;
    field = field == null ? "" : field;
  }

  public static Location ofFile(String file) {
    return new Location(file, "", "", "");
  }

  public Location inGraph(String graphPath) {
    return new Location(file, graphPath, "", "");
  }

  public Location atNode(String nodeLabel) {
    return new Location(file, graph, nodeLabel, "");
  }

  public Location atField(String fieldLabel) {
    return new Location(file, graph, node, fieldLabel);
  }

  /** One line: {@code file: graph 'g': node 'n': field}. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(file);
    if (!graph.isEmpty()) {
      b.append(b.length() > 0 ? ": " : "").append("graph '").append(graph).append("'");
    }
    if (!node.isEmpty()) {
      b.append(b.length() > 0 ? ": " : "").append("node ").append(node);
    }
    if (!field.isEmpty()) {
      b.append(b.length() > 0 ? ": " : "").append(field);
    }
    return b.toString();
  }
}
