package dev.modelbridge.tensorflow.export;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;

/**
 * A written GraphDef opened for rewriting: nodes by name, rewiring of uses, new nodes with unique
 * names, and reading of constant tensors. Used by {@link TransposePass}.
 */
final class GraphEdit {
  private final GraphDef.Builder graph;
  private final Map<String, NodeDef.Builder> nodes = new LinkedHashMap<>();
  private final Set<String> names = new HashSet<>();

  GraphEdit(GraphDef def) {
    graph = def.toBuilder().clearNode();
    def.getNodeList().forEach(n -> {
      nodes.put(n.getName(), n.toBuilder());
      names.add(n.getName());
    });
  }

  GraphDef build() {
    nodes.values().forEach(graph::addNode);
    return graph.build();
  }

  List<String> names() {
    return new ArrayList<>(nodes.keySet());
  }

  NodeDef.Builder node(String name) {
    return nodes.get(name);
  }

  /** The node producing {@code input} (a NodeDef input string such as {@code a}, {@code a:1}, {@code ^a}). */
  NodeDef.Builder producer(String input) {
    return nodes.get(nodeName(input));
  }

  static String nodeName(String input) {
    String s = input.startsWith("^") ? input.substring(1) : input;
    int colon = s.lastIndexOf(':');
    return colon < 0 ? s : s.substring(0, colon);
  }

  static int outputIndex(String input) {
    int colon = input.lastIndexOf(':');
    return colon < 0 ? 0 : Integer.parseInt(input.substring(colon + 1));
  }

  /** The data inputs of {@code n} (control inputs excluded). */
  static List<String> dataInputs(NodeDef.Builder n) {
    return n.getInputList().stream().filter(i -> !i.startsWith("^")).toList();
  }

  /** Points every data use of output 0 of {@code node} at {@code replacement} instead. */
  void rewire(String node, String replacement) {
    for (NodeDef.Builder n : nodes.values()) {
      for (int i = 0; i < n.getInputCount(); i++) {
        String in = n.getInput(i);
        if (in.equals(node) || in.equals(node + ":0")) {
          n.setInput(i, replacement);
        }
      }
    }
  }

  /** The number of inputs (data and control) that read {@code node}. */
  int uses(String node) {
    int count = 0;
    for (NodeDef.Builder n : nodes.values()) {
      for (String in : n.getInputList()) {
        if (nodeName(in).equals(node)) {
          count++;
        }
      }
    }
    return count;
  }

  void remove(String name) {
    nodes.remove(name);
  }

  /** Adds {@code n} under a unique name derived from its name; returns that name. */
  String add(NodeDef.Builder n) {
    String base = n.getName();
    String name = base;
    for (int i = 1; !names.add(name); i++) {
      name = base + "_" + i;
    }
    nodes.put(name, n.setName(name));
    return name;
  }

  String transpose(String hint, String x, DataType dtype, long[] perm) {
    String p = constant(hint + "/perm", DataType.DT_INT32, new long[] {perm.length}, perm);
    return add(NodeDef.newBuilder().setOp("Transpose").setName(hint).addInput(x).addInput(p)
        .putAttr("T", type(dtype)).putAttr("Tperm", type(DataType.DT_INT32)));
  }

  /** An int32 or int64 constant. */
  String constant(String hint, DataType dtype, long[] dims, long[] values) {
    int width = dtype == DataType.DT_INT32 ? 4 : 8;
    ByteBuffer b = ByteBuffer.allocate(values.length * width).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      if (width == 4) {
        b.putInt(Math.toIntExact(v));
      } else {
        b.putLong(v);
      }
    }
    return constant(hint, TensorProto.newBuilder().setDtype(dtype).setTensorShape(TfGraph.shape(dims))
        .setTensorContent(ByteString.copyFrom(b.flip())).build());
  }

  String constant(String hint, TensorProto t) {
    return add(NodeDef.newBuilder().setOp("Const").setName(hint).putAttr("dtype", type(t.getDtype()))
        .putAttr("value", AttrValue.newBuilder().setTensor(t).build()));
  }

  static AttrValue type(DataType t) {
    return AttrValue.newBuilder().setType(t).build();
  }

  /** The tensor of a Const node producing {@code input}. */
  Optional<TensorProto> constTensor(String input) {
    NodeDef.Builder n = producer(input);
    if (n == null || !n.getOp().equals("Const") || !n.containsAttr("value")) {
      return Optional.empty();
    }
    return Optional.of(n.getAttrOrThrow("value").getTensor());
  }

  /** The values of an integer Const producing {@code input}. */
  Optional<long[]> constInts(String input) {
    return constTensor(input).flatMap(GraphEdit::ints);
  }

  static Optional<long[]> ints(TensorProto t) {
    int n = (int) elements(t);
    long[] out = new long[n];
    if (t.getDtype() == DataType.DT_INT32 || t.getDtype() == DataType.DT_INT64) {
      boolean wide = t.getDtype() == DataType.DT_INT64;
      if (!t.getTensorContent().isEmpty()) {
        ByteBuffer b = t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
          out[i] = wide ? b.getLong() : b.getInt();
        }
        return Optional.of(out);
      }
      int count = wide ? t.getInt64ValCount() : t.getIntValCount();
      for (int i = 0; i < n && count > 0; i++) {
        int k = Math.min(i, count - 1); // a short list repeats its last value
        out[i] = wide ? t.getInt64Val(k) : t.getIntVal(k);
      }
      return count > 0 || n == 0 ? Optional.of(out) : Optional.empty();
    }
    return Optional.empty();
  }

  static long elements(TensorProto t) {
    long n = 1;
    for (var d : t.getTensorShape().getDimList()) {
      n *= d.getSize();
    }
    return n;
  }
}
