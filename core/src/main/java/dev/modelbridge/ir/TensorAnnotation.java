package dev.modelbridge.ir;

import java.util.List;

/** Names the quantization parameter tensors (scale, zero point) of one tensor. */
public record TensorAnnotation(String tensorName, List<StringPair> parameterTensorNames) {
  public TensorAnnotation {
    tensorName = Strings.orEmpty(tensorName);
    parameterTensorNames = List.copyOf(parameterTensorNames);
  }
}
