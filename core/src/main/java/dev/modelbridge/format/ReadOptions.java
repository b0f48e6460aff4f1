package dev.modelbridge.format;

/**
 * Options for reading a model.
 *
 * @param allowUnknownFields read a file that has fields this version does not know, dropping them,
 *     instead of refusing it
 */
public record ReadOptions(boolean allowUnknownFields) {
  public static ReadOptions defaults() {
    return new ReadOptions(false);
  }
}
