package dev.modelbridge.tensorflow.export;

import org.tensorflow.proto.DataType;

/**
 * One output of an emitted TensorFlow node with its dtype.
 *
 * @param node the node name
 * @param index the output index
 * @param dtype the element type of the output
 */
public record TfRef(String node, int index, DataType dtype) {

  /** The name as a NodeDef input refers to it: {@code node} or {@code node:index}. */
  public String input() {
    return index == 0 ? node : node + ":" + index;
  }

  /** The full tensor name, as signatures and session feeds use it: {@code node:index}. */
  public String tensorName() {
    return node + ":" + index;
  }

  /** The same tensor taken as another dtype (for ops whose output dtype differs from their T). */
  public TfRef as(DataType other) {
    return new TfRef(node, index, other);
  }
}
