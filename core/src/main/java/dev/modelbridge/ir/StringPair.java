package dev.modelbridge.ir;

/** One key and value of a metadata list; lists keep their order and are not deduplicated. */
public record StringPair(String key, String value) {
  public StringPair {
    key = Strings.orEmpty(key);
    value = Strings.orEmpty(value);
  }
}
