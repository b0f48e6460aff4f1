package dev.modelbridge.format;

/**
 * Options for writing a model.
 *
 * @param externalData store tensors of at least {@code externalDataThreshold} bytes in a side file
 *     next to the model; models too large for one file get this regardless
 * @param externalDataThreshold the size from which a tensor goes to the side file
 * @param weightsAsConstants for formats with variables (SavedModel): inline the weights as
 *     constants in the graph instead of a checkpoint; only sensible for small models
 */
public record WriteOptions(boolean externalData, long externalDataThreshold, boolean weightsAsConstants) {
  public static final long DEFAULT_THRESHOLD = 1024;

  public WriteOptions(boolean externalData, long externalDataThreshold) {
    this(externalData, externalDataThreshold, false);
  }

  public static WriteOptions defaults() {
    return new WriteOptions(false, DEFAULT_THRESHOLD, false);
  }

  public WriteOptions withExternalData(boolean enabled) {
    return new WriteOptions(enabled, externalDataThreshold, weightsAsConstants);
  }

  public WriteOptions withThreshold(long bytes) {
    return new WriteOptions(externalData, bytes, weightsAsConstants);
  }

  public WriteOptions withWeightsAsConstants(boolean enabled) {
    return new WriteOptions(externalData, externalDataThreshold, enabled);
  }
}
