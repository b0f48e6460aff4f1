package dev.modelbridge.ir;

import java.util.List;
import java.util.Optional;

/**
 * Where a tensor's bytes were stored outside the model file, as the file said it: the key and value
 * entries in their original order ({@code location}, {@code offset}, {@code length},
 * {@code checksum}, and any others).
 */
public record ExternalLocation(List<StringPair> entries) {
  public ExternalLocation {
    entries = List.copyOf(entries);
  }

  public Optional<String> get(String key) {
    return entries.stream().filter(e -> e.key().equals(key)).map(StringPair::value).findFirst();
  }

  public String location() {
    return get("location").orElse("");
  }
}
