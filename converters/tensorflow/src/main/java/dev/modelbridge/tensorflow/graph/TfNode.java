package dev.modelbridge.tensorflow.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;

/**
 * A node of a flat TensorFlow graph, after function inlining: its inputs are always written
 * {@code node:index} (data) or {@code ^node} (control).
 */
public record TfNode(String name, String op, List<TensorRef> inputs, Map<String, AttrValue> attrs) {

  public TfNode {
    inputs = List.copyOf(inputs);
    attrs = Map.copyOf(attrs);
  }

  /** The data inputs, in order, without the control dependencies. */
  public List<TensorRef> dataInputs() {
    List<TensorRef> out = new ArrayList<>();
    for (TensorRef r : inputs) {
      if (!r.isControl()) {
        out.add(r);
      }
    }
    return out;
  }

  public Optional<AttrValue> attr(String key) {
    return Optional.ofNullable(attrs.get(key));
  }

  public long attrInt(String key, long fallback) {
    AttrValue v = attrs.get(key);
    return v == null ? fallback : v.getI();
  }

  public float attrFloat(String key, float fallback) {
    AttrValue v = attrs.get(key);
    return v == null ? fallback : v.getF();
  }

  public boolean attrBool(String key, boolean fallback) {
    AttrValue v = attrs.get(key);
    return v == null ? fallback : v.getB();
  }

  public String attrString(String key, String fallback) {
    AttrValue v = attrs.get(key);
    return v == null ? fallback : v.getS().toStringUtf8();
  }

  /** An {@code list(int)} attribute, or an empty array when absent. */
  public long[] attrInts(String key) {
    AttrValue v = attrs.get(key);
    return v == null ? new long[0] : v.getList().getIList().stream().mapToLong(Long::longValue).toArray();
  }

  public Optional<DataType> attrType(String key) {
    AttrValue v = attrs.get(key);
    return v == null || v.getValueCase() != AttrValue.ValueCase.TYPE ? Optional.empty() : Optional.of(v.getType());
  }

  /**
   * The dtype of output {@code index} as far as the node's attributes tell (the attribute names
   * TensorFlow's op definitions use for their output types), or empty.
   */
  public Optional<DataType> outputType(int index) {
    DataType fixed = FIXED_OUTPUT_TYPES.get(op);
    if (fixed != null) {
      return Optional.of(fixed);
    }
    if (op.equals("TopKV2") && index == 1) {
      return Optional.of(attrType("index_type").orElse(DataType.DT_INT32));
    }
    if (op.equals("NonMaxSuppressionV5")) { // indices, scores (T), count
      return index == 1 ? attrType("T") : Optional.of(DataType.DT_INT32);
    }
    if (List.of("TensorListGetItem", "TensorListStack", "TensorListGather").contains(op)) {
      return attrType("element_dtype");
    }
    for (String k : List.of("out_type", "DstT", "Tout", "output_type", "dtype", "T", "Tparams")) {
      AttrValue v = attrs.get(k);
      if (v == null) {
        continue;
      }
      if (v.getValueCase() == AttrValue.ValueCase.TYPE) {
        return Optional.of(v.getType());
      }
      if (v.getValueCase() == AttrValue.ValueCase.LIST && index < v.getList().getTypeCount()) {
        return Optional.of(v.getList().getType(index));
      }
    }
    return Optional.empty();
  }

  /** Ops whose output dtype is fixed rather than given by an attribute (their {@code T} is the input's). */
  private static final Map<String, DataType> FIXED_OUTPUT_TYPES = fixedOutputTypes();

  private static Map<String, DataType> fixedOutputTypes() {
    Map<String, DataType> m = new java.util.HashMap<>();
    for (String op : List.of("Greater", "GreaterEqual", "Less", "LessEqual", "Equal", "NotEqual", "LogicalAnd",
        "LogicalOr", "LogicalNot", "IsNan", "IsInf", "IsFinite", "All", "Any", "ApproximateEqual")) {
      m.put(op, DataType.DT_BOOL);
    }
    m.put("Where", DataType.DT_INT64);
    m.put("Rank", DataType.DT_INT32);
    m.put("NonMaxSuppressionV3", DataType.DT_INT32);
    m.put("NonMaxSuppressionV4", DataType.DT_INT32);
    m.put("TensorListLength", DataType.DT_INT32);
    return Map.copyOf(m);
  }

  /** A short label for messages: {@code 'name' (Op)}. */
  public String label() {
    return "'" + name + "' (" + op + ")";
  }
}
