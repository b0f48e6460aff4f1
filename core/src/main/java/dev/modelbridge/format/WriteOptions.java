package dev.modelbridge.format;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Options for writing a model.
 *
 * @param externalData store tensors of at least {@code externalDataThreshold} bytes in a side file
 *     next to the model; models too large for one file get this regardless
 * @param externalDataThreshold the size from which a tensor goes to the side file
 * @param weightsAsConstants for formats with variables (SavedModel): inline the weights as
 *     constants in the graph instead of a checkpoint; only sensible for small models
 * @param formatOptions options only some formats use, by name: for SavedModel
 *     {@code inputsAsNhwc} and {@code outputsAsNhwc} (comma-separated 4-D inputs or outputs whose
 *     signature takes or gives NHWC instead of the ONNX model's NCHW)
 */
public record WriteOptions(boolean externalData, long externalDataThreshold, boolean weightsAsConstants,
    Map<String, String> formatOptions) {
  public static final long DEFAULT_THRESHOLD = 1024;

  public WriteOptions {
    formatOptions = Map.copyOf(formatOptions);
  }

  public WriteOptions(boolean externalData, long externalDataThreshold, boolean weightsAsConstants) {
    this(externalData, externalDataThreshold, weightsAsConstants, Map.of());
  }

  public WriteOptions(boolean externalData, long externalDataThreshold) {
    this(externalData, externalDataThreshold, false);
  }

  public static WriteOptions defaults() {
    return new WriteOptions(false, DEFAULT_THRESHOLD, false);
  }

  public WriteOptions withExternalData(boolean enabled) {
    return new WriteOptions(enabled, externalDataThreshold, weightsAsConstants, formatOptions);
  }

  public WriteOptions withThreshold(long bytes) {
    return new WriteOptions(externalData, bytes, weightsAsConstants, formatOptions);
  }

  public WriteOptions withWeightsAsConstants(boolean enabled) {
    return new WriteOptions(externalData, externalDataThreshold, enabled, formatOptions);
  }

  /** A copy with one format option set. */
  public WriteOptions with(String name, String value) {
    Map<String, String> m = new LinkedHashMap<>(formatOptions);
    m.put(name, value);
    return new WriteOptions(externalData, externalDataThreshold, weightsAsConstants, m);
  }

  public Optional<String> option(String name) {
    return Optional.ofNullable(formatOptions.get(name));
  }
}
