package dev.modelbridge.tensorflow.export;

import java.util.List;
import java.util.Map;

/** An ONNX graph uses ops the SavedModel writer has no handler for, or nodes it cannot convert as used. */
public class UnsupportedOnnxOpsException extends dev.modelbridge.UnsupportedOpsException {
  private static final long serialVersionUID = 1L;

  public UnsupportedOnnxOpsException(Map<String, List<String>> unsupportedOps, List<String> problems) {
    super(unsupportedOps, problems, " ONNX op has no TensorFlow conversion: ",
        " ONNX ops have no TensorFlow conversion: ", "");
  }
}
