package dev.modelbridge.schema;

import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Type;
import java.util.Optional;

/** ONNX type strings ({@code tensor(float)}, {@code seq(tensor(int64))}) of IR types. */
public final class TypeStrings {
  private TypeStrings() {}

  /**
   * The ONNX type string of {@code type}, or empty when the type is not fully known (an undefined
   * element type, a sequence of unknown elements, an opaque type).
   */
  public static Optional<String> of(Type type) {
    if (type instanceof Type.TensorType t) {
      return element(t.elementType()).map(e -> "tensor(" + e + ")");
    }
    if (type instanceof Type.SparseTensorType t) {
      return element(t.elementType()).map(e -> "sparse_tensor(" + e + ")");
    }
    if (type instanceof Type.SequenceType s) {
      return s.elementType().flatMap(TypeStrings::of).map(e -> "seq(" + e + ")");
    }
    if (type instanceof Type.OptionalType o) {
      return o.elementType().flatMap(TypeStrings::of).map(e -> "optional(" + e + ")");
    }
    if (type instanceof Type.MapType m) {
      Optional<String> key = element(m.keyType());
      Optional<String> value = m.valueType().flatMap(TypeStrings::of);
      return key.isPresent() && value.isPresent()
          ? Optional.of("map(" + key.get() + "," + value.get() + ")") : Optional.empty();
    }
    return Optional.empty();
  }

  /** {@code typeString} without white space, the form type strings are compared in. */
  public static String normalize(String typeString) {
    return typeString.replaceAll("\\s+", "");
  }

  private static Optional<String> element(ElementType e) {
    return e == ElementType.UNDEFINED ? Optional.empty() : Optional.of(e.label());
  }
}
