package dev.modelbridge.ir;

import java.util.Optional;

/** The kinds of attribute value, numbered as ONNX numbers them. */
public enum AttributeKind {
  FLOAT(1, "float"),
  INT(2, "int"),
  STRING(3, "string"),
  TENSOR(4, "tensor"),
  GRAPH(5, "graph"),
  FLOATS(6, "floats"),
  INTS(7, "ints"),
  STRINGS(8, "strings"),
  TENSORS(9, "tensors"),
  GRAPHS(10, "graphs"),
  SPARSE_TENSOR(11, "sparse_tensor"),
  SPARSE_TENSORS(12, "sparse_tensors"),
  TYPE(13, "type_proto"),
  TYPES(14, "type_protos");

  private final int code;
  private final String label;

  AttributeKind(int code, String label) {
    this.code = code;
    this.label = label;
  }

  public int code() {
    return code;
  }

  public String label() {
    return label;
  }

  public static Optional<AttributeKind> fromCode(int code) {
    for (AttributeKind k : values()) {
      if (k.code == code) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return label;
  }
}
