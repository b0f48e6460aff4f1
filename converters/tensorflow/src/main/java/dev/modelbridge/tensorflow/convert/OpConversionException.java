package dev.modelbridge.tensorflow.convert;

import dev.modelbridge.UnsupportedModelException;

/** One node of a supported op cannot be converted as it is used (a dynamic axis, an odd attribute). */
public class OpConversionException extends UnsupportedModelException {
  private static final long serialVersionUID = 1L;

  public OpConversionException(String detail) {
    super(detail);
  }
}
