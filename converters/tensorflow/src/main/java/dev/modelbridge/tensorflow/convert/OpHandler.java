package dev.modelbridge.tensorflow.convert;

/**
 * Converts one TensorFlow node into IR nodes with ONNX semantics. A handler reads the node's
 * inputs and attributes through the {@link NodeContext}, emits nodes, and binds each output of
 * the TensorFlow node that it produces.
 */
@FunctionalInterface
public interface OpHandler {

  /**
   * Converts the context's node.
   *
   * @throws OpConversionException when this use of the op cannot be converted (a dynamic value
   *     where a constant is needed, an unsupported attribute value)
   */
  void convert(NodeContext ctx) throws OpConversionException;
}
