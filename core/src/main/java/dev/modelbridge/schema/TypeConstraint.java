package dev.modelbridge.schema;

import java.util.List;

/**
 * The types a type variable may stand for, as ONNX type strings such as {@code tensor(float)},
 * {@code seq(tensor(int64))}, {@code optional(tensor(bool))} or {@code map(int64, string)}.
 */
public record TypeConstraint(String variable, List<String> allowedTypes) {
  public TypeConstraint {
    allowedTypes = List.copyOf(allowedTypes);
  }

  /** Whether {@code typeString} is allowed, ignoring white space (ONNX writes {@code map(int64, string)}). */
  public boolean allows(String typeString) {
    String wanted = TypeStrings.normalize(typeString);
    return allowedTypes.stream().anyMatch(t -> TypeStrings.normalize(t).equals(wanted));
  }
}
