package dev.modelbridge.tensorflow.export;

/** One ONNX node of a supported op cannot be converted as used; collected, then reported once. */
public class OpExportException extends Exception {
  private static final long serialVersionUID = 1L;

  public OpExportException(String message) {
    super(message);
  }
}
