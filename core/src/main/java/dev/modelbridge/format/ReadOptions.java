package dev.modelbridge.format;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Options for reading a model.
 *
 * @param allowUnknownFields read a file that has fields this version does not know, dropping them,
 *     instead of refusing it
 * @param formatOptions options only some formats use, by name: for TensorFlow {@code tag},
 *     {@code signature}, {@code inputs} and {@code outputs} (comma-separated tensor names of a frozen
 *     graph)
 * @param limits resource limits checked before allocating ({@link Limits#defaults()} unless set)
 */
public record ReadOptions(boolean allowUnknownFields, Map<String, String> formatOptions, Limits limits) {

  public static final String TAG = "tag";
  public static final String SIGNATURE = "signature";
  public static final String INPUTS = "inputs";
  public static final String OUTPUTS = "outputs";

  public ReadOptions {
    formatOptions = Map.copyOf(formatOptions);
    java.util.Objects.requireNonNull(limits, "limits");
  }

  public ReadOptions(boolean allowUnknownFields, Map<String, String> formatOptions) {
    this(allowUnknownFields, formatOptions, Limits.defaults());
  }

  public ReadOptions(boolean allowUnknownFields) {
    this(allowUnknownFields, Map.of());
  }

  public static ReadOptions defaults() {
    return new ReadOptions(false, Map.of());
  }

  /** A copy with one format option set. */
  public ReadOptions with(String name, String value) {
    Map<String, String> m = new LinkedHashMap<>(formatOptions);
    m.put(name, value);
    return new ReadOptions(allowUnknownFields, m, limits);
  }

  /** A copy with other resource limits. */
  public ReadOptions withLimits(Limits newLimits) {
    return new ReadOptions(allowUnknownFields, formatOptions, newLimits);
  }

  public Optional<String> option(String name) {
    return Optional.ofNullable(formatOptions.get(name));
  }
}
