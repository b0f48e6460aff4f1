package dev.modelbridge.ir;

import java.util.Optional;

/**
 * The type of a value: a tensor, a sparse tensor, a sequence, a map, an optional, or an opaque
 * type. Every type may carry a denotation (such as {@code IMAGE}); empty means none.
 */
public sealed interface Type {

  String denotation();

  /** A dense tensor; an absent shape means the rank is unknown. */
  record TensorType(ElementType elementType, Optional<Shape> shape, String denotation) implements Type {
    public TensorType {
      denotation = Strings.orEmpty(denotation);
    }

    @Override
    public String toString() {
      return elementType.label() + shape.map(Shape::toString).orElse("");
    }
  }

  /** A sparse tensor; an absent shape means the rank is unknown. */
  record SparseTensorType(ElementType elementType, Optional<Shape> shape, String denotation)
      implements Type {
    public SparseTensorType {
      denotation = Strings.orEmpty(denotation);
    }

    @Override
    public String toString() {
      return "sparse_tensor(" + elementType.label() + shape.map(Shape::toString).orElse("") + ")";
    }
  }

  /** A sequence of values of one element type; empty when the file leaves it unspecified. */
  record SequenceType(Optional<Type> elementType, String denotation) implements Type {
    public SequenceType {
      denotation = Strings.orEmpty(denotation);
    }

    @Override
    public String toString() {
      return "seq(" + elementType.map(Object::toString).orElse("?") + ")";
    }
  }

  /** A map from an integral or string key type to values of one type. */
  record MapType(ElementType keyType, Optional<Type> valueType, String denotation) implements Type {
    public MapType {
      denotation = Strings.orEmpty(denotation);
    }

    @Override
    public String toString() {
      return "map(" + keyType.label() + "," + valueType.map(Object::toString).orElse("?") + ")";
    }
  }

  /** A value that may be absent. */
  record OptionalType(Optional<Type> elementType, String denotation) implements Type {
    public OptionalType {
      denotation = Strings.orEmpty(denotation);
    }

    @Override
    public String toString() {
      return "optional(" + elementType.map(Object::toString).orElse("?") + ")";
    }
  }

  /** A type defined outside ONNX, known by domain and name only. */
  record OpaqueType(String domain, String name, String denotation) implements Type {
    public OpaqueType {
      domain = Strings.orEmpty(domain);
      name = Strings.orEmpty(name);
      denotation = Strings.orEmpty(denotation);
    }

    @Override
    public String toString() {
      return "opaque(" + domain + "," + name + ")";
    }
  }

  /** A type record present in the file that names no kind of type. */
  record Unspecified(String denotation) implements Type {
    public Unspecified {
      denotation = Strings.orEmpty(denotation);
    }

    @Override
    public String toString() {
      return "?";
    }
  }

  /** A tensor type of the given element type and fixed sizes. */
  static TensorType tensor(ElementType elementType, long... dims) {
    return new TensorType(elementType, Optional.of(Shape.of(dims)), "");
  }

  /** A tensor type with the given shape. */
  static TensorType tensor(ElementType elementType, Shape shape) {
    return new TensorType(elementType, Optional.of(shape), "");
  }

  /** A tensor type of unknown rank. */
  static TensorType tensorOfUnknownRank(ElementType elementType) {
    return new TensorType(elementType, Optional.empty(), "");
  }
}
