package dev.modelbridge.tensorflow.bundle;

import dev.modelbridge.InvalidModelException;

/** A checkpoint's index or data files break the TensorBundle format, or fail their checksums. */
public class BundleFormatException extends InvalidModelException {
  private static final long serialVersionUID = 1L;

  public BundleFormatException(String detail) {
    super(detail);
  }
}
