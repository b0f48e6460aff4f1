package dev.modelbridge.ir;

import java.util.List;
import java.util.Optional;

/** A named value with its type (when declared), as in graph inputs, outputs and value infos. */
public record ValueInfo(String name, Optional<Type> type, String docString, List<StringPair> metadata) {
  public ValueInfo {
    name = Strings.orEmpty(name);
    docString = Strings.orEmpty(docString);
    metadata = List.copyOf(metadata);
  }

  public static ValueInfo of(String name, Type type) {
    return new ValueInfo(name, Optional.of(type), "", List.of());
  }

  public static ValueInfo untyped(String name) {
    return new ValueInfo(name, Optional.empty(), "", List.of());
  }

  @Override
  public String toString() {
    return type.map(Object::toString).orElse("?") + " " + name;
  }
}
