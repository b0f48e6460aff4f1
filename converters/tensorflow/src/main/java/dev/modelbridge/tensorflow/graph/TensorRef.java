package dev.modelbridge.tensorflow.graph;

/**
 * One output of a TensorFlow node, written {@code node:index} in a flat graph (as a
 * {@code GraphDef} does, where {@code node} alone means {@code node:0}).
 *
 * @param node the producing node's name
 * @param index the output's position among all the node's outputs
 */
public record TensorRef(String node, int index) {

  /**
   * Parses {@code node}, {@code node:3} or a control input {@code ^node} (index -1).
   *
   * @throws IllegalArgumentException for an empty name or a malformed index
   */
  public static TensorRef parse(String s) {
    if (s.startsWith("^")) {
      return new TensorRef(s.substring(1), -1);
    }
    int colon = s.lastIndexOf(':');
    if (colon < 0) {
      return new TensorRef(s, 0);
    }
    try {
      return new TensorRef(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("malformed tensor name '" + s + "'");
    }
  }

  /** Whether this is a control dependency rather than a data edge. */
  public boolean isControl() {
    return index < 0;
  }

  @Override
  public String toString() {
    return isControl() ? "^" + node : node + ":" + index;
  }
}
