package dev.modelbridge;

/**
 * A path taken from a model file (external data, assets, shards) would lead outside the model's
 * folder, or past the end of a file. Nothing was read from it.
 */
public class UnsafePathException extends InvalidModelException {
  private static final long serialVersionUID = 1L;

  public UnsafePathException(String detail) {
    super(detail);
  }
}
