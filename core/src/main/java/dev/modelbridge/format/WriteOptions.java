package dev.modelbridge.format;

/**
 * Options for writing a model.
 *
 * @param externalData store tensors of at least {@code externalDataThreshold} bytes in a side file
 *     next to the model; models too large for one file get this regardless
 * @param externalDataThreshold the size from which a tensor goes to the side file
 */
public record WriteOptions(boolean externalData, long externalDataThreshold) {
  public static final long DEFAULT_THRESHOLD = 1024;

  public static WriteOptions defaults() {
    return new WriteOptions(false, DEFAULT_THRESHOLD);
  }

  public WriteOptions withExternalData(boolean enabled) {
    return new WriteOptions(enabled, externalDataThreshold);
  }

  public WriteOptions withThreshold(long bytes) {
    return new WriteOptions(externalData, bytes);
  }
}
