package dev.modelbridge.tensorflow.export;

/**
 * Converts one ONNX node into TensorFlow nodes: reads inputs and attributes through the
 * {@link ExportContext}, emits nodes into its graph and binds each ONNX output it produces.
 */
@FunctionalInterface
public interface ExportHandler {

  /**
   * @throws OpExportException when this use of the op cannot be converted (a dynamic value where a
   *     constant is needed, an attribute value TensorFlow has no kernel for)
   */
  void export(ExportContext ctx) throws OpExportException;
}
