package dev.modelbridge.ir;

import java.util.List;

/**
 * A named, typed attribute of a node or a function default. One record per kind of value; an
 * attribute inside a function body may instead refer to an attribute of the calling node.
 */
public sealed interface Attribute {

  String name();

  AttributeKind kind();

  String docString();

  record FloatAttr(String name, float value, String docString) implements Attribute {
    public AttributeKind kind() {
      return AttributeKind.FLOAT;
    }
  }

  record IntAttr(String name, long value, String docString) implements Attribute {
    public AttributeKind kind() {
      return AttributeKind.INT;
    }
  }

  record StringAttr(String name, Bytes value, String docString) implements Attribute {
    public AttributeKind kind() {
      return AttributeKind.STRING;
    }
  }

  record TensorAttr(String name, Tensor value, String docString) implements Attribute {
    public AttributeKind kind() {
      return AttributeKind.TENSOR;
    }
  }

  record GraphAttr(String name, Graph value, String docString) implements Attribute {
    public AttributeKind kind() {
      return AttributeKind.GRAPH;
    }
  }

  record SparseTensorAttr(String name, SparseTensor value, String docString) implements Attribute {
    public AttributeKind kind() {
      return AttributeKind.SPARSE_TENSOR;
    }
  }

  record TypeAttr(String name, Type value, String docString) implements Attribute {
    public AttributeKind kind() {
      return AttributeKind.TYPE;
    }
  }

  record FloatsAttr(String name, List<Float> values, String docString) implements Attribute {
    public FloatsAttr {
      values = List.copyOf(values);
    }

    public AttributeKind kind() {
      return AttributeKind.FLOATS;
    }
  }

  record IntsAttr(String name, List<Long> values, String docString) implements Attribute {
    public IntsAttr {
      values = List.copyOf(values);
    }

    public AttributeKind kind() {
      return AttributeKind.INTS;
    }

    public long[] toArray() {
      return values.stream().mapToLong(Long::longValue).toArray();
    }
  }

  record StringsAttr(String name, List<Bytes> values, String docString) implements Attribute {
    public StringsAttr {
      values = List.copyOf(values);
    }

    public AttributeKind kind() {
      return AttributeKind.STRINGS;
    }
  }

  record TensorsAttr(String name, List<Tensor> values, String docString) implements Attribute {
    public TensorsAttr {
      values = List.copyOf(values);
    }

    public AttributeKind kind() {
      return AttributeKind.TENSORS;
    }
  }

  record GraphsAttr(String name, List<Graph> values, String docString) implements Attribute {
    public GraphsAttr {
      values = List.copyOf(values);
    }

    public AttributeKind kind() {
      return AttributeKind.GRAPHS;
    }
  }

  record SparseTensorsAttr(String name, List<SparseTensor> values, String docString)
      implements Attribute {
    public SparseTensorsAttr {
      values = List.copyOf(values);
    }

    public AttributeKind kind() {
      return AttributeKind.SPARSE_TENSORS;
    }
  }

  record TypesAttr(String name, List<Type> values, String docString) implements Attribute {
    public TypesAttr {
      values = List.copyOf(values);
    }

    public AttributeKind kind() {
      return AttributeKind.TYPES;
    }
  }

  /** Inside a function body: takes the value of the caller's attribute {@code referencedName}. */
  record RefAttr(String name, AttributeKind kind, String referencedName, String docString)
      implements Attribute {}

  static Attribute of(String name, long value) {
    return new IntAttr(name, value, "");
  }

  static Attribute of(String name, float value) {
    return new FloatAttr(name, value, "");
  }

  static Attribute of(String name, String value) {
    return new StringAttr(name, Bytes.utf8(value), "");
  }

  static Attribute of(String name, Tensor value) {
    return new TensorAttr(name, value, "");
  }

  static Attribute of(String name, Graph value) {
    return new GraphAttr(name, value, "");
  }

  static Attribute ints(String name, long... values) {
    return new IntsAttr(name, java.util.Arrays.stream(values).boxed().toList(), "");
  }

  static Attribute floats(String name, float... values) {
    Float[] boxed = new Float[values.length];
    for (int i = 0; i < values.length; i++) {
      boxed[i] = values[i];
    }
    return new FloatsAttr(name, List.of(boxed), "");
  }

  static Attribute strings(String name, String... values) {
    return new StringsAttr(name, java.util.Arrays.stream(values).map(Bytes::utf8).toList(), "");
  }
}
