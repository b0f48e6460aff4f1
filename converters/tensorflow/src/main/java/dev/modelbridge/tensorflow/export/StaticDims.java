package dev.modelbridge.tensorflow.export;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorShapeProto;

/**
 * The static dims of tensors in a graph being rewritten, as far as a few local rules tell them
 * ({@code -1} an unknown dimension, {@code null} an unknown rank): the dims ONNX shape inference
 * gave the converted values, constants, placeholders, variables, Fill, Reshape and ExpandDims with
 * constant operands, and element-wise ops (broadcasting). Enough for {@link TransposePass} to
 * know the layout of a broadcast side input such as a bias or a batch-norm scale.
 */
final class StaticDims {
  static final Set<String> UNARY = Set.of("Relu", "Relu6", "Elu", "Selu", "Sigmoid", "Tanh", "Identity", "Neg",
      "Abs", "Exp", "Log", "Sqrt", "Rsqrt", "Square", "Floor", "Ceil", "Round", "Sign", "Softplus", "LeakyRelu",
      "Erf", "Reciprocal", "Sin", "Cos", "OnesLike", "ZerosLike", "Cast");
  static final Set<String> BINARY = Set.of("AddV2", "Add", "Sub", "Mul", "RealDiv", "Div", "Maximum", "Minimum",
      "Pow", "SquaredDifference");

  private final GraphEdit g;
  private final Map<String, long[]> known;
  private final Map<String, long[]> memo = new HashMap<>();

  /** @param known dims by tensor name ({@code node:index}), from the ONNX values the tensors hold */
  StaticDims(GraphEdit g, Map<String, long[]> known) {
    this.g = g;
    this.known = known;
  }

  /** Forgets what is known of {@code node}'s outputs: a rewrite changed what it computes. */
  void changed(String node) {
    known.keySet().removeIf(k -> k.startsWith(node + ":") && GraphEdit.nodeName(k).equals(node));
    memo.clear();
  }

  /** Records that output 0 of {@code node}, rewritten, has {@code d} (null: unknown). */
  void set(String node, long[] d) {
    changed(node);
    if (d != null) {
      known.put(node + ":0", d);
    }
  }

  long[] of(String input) {
    String key = GraphEdit.nodeName(input) + ":" + GraphEdit.outputIndex(input);
    if (memo.containsKey(key)) {
      return memo.get(key);
    }
    memo.put(key, null); // cycles (there are none in a GraphDef's data flow) end as unknown
    long[] d = known.containsKey(key) ? known.get(key) : infer(input);
    memo.put(key, d);
    return d;
  }

  private long[] infer(String input) {
    NodeDef.Builder n = g.producer(input);
    if (n == null || GraphEdit.outputIndex(input) != 0) {
      return null;
    }
    var in = GraphEdit.dataInputs(n);
    String op = n.getOp();
    if (UNARY.contains(op)) {
      return of(in.get(0));
    }
    if (BINARY.contains(op)) {
      return broadcast(of(in.get(0)), of(in.get(1)));
    }
    return switch (op) {
      case "Const" -> g.constTensor(input).map(t -> dims(t.getTensorShape())).orElse(null);
      case "Placeholder" -> n.containsAttr("shape") ? dims(n.getAttrOrThrow("shape").getShape()) : null;
      case "ReadVariableOp" -> {
        NodeDef.Builder h = g.producer(in.get(0));
        yield h != null && h.containsAttr("shape") ? dims(h.getAttrOrThrow("shape").getShape()) : null;
      }
      case "Fill" -> g.constInts(in.get(0)).orElse(null);
      case "Reshape" -> g.constInts(in.get(1)).orElse(null);
      case "ExpandDims" -> {
        long[] x = of(in.get(0));
        long[] axis = g.constInts(in.get(1)).orElse(null);
        if (x == null || axis == null || axis.length != 1) {
          yield null;
        }
        int a = (int) (axis[0] < 0 ? axis[0] + x.length + 1 : axis[0]);
        long[] out = new long[x.length + 1];
        for (int i = 0, j = 0; i < out.length; i++) {
          out[i] = i == a ? 1 : x[j++];
        }
        yield out;
      }
      case "Transpose" -> {
        long[] x = of(in.get(0));
        long[] perm = g.constInts(in.get(1)).orElse(null);
        if (x == null || perm == null || perm.length != x.length) {
          yield null;
        }
        long[] out = new long[x.length];
        for (int i = 0; i < out.length; i++) {
          out[i] = x[(int) perm[i]];
        }
        yield out;
      }
      default -> null;
    };
  }

  static long[] dims(TensorShapeProto s) {
    if (s.getUnknownRank()) {
      return null;
    }
    return s.getDimList().stream().mapToLong(TensorShapeProto.Dim::getSize).toArray();
  }

  /** NumPy broadcasting of two static shapes; null when either is unknown. */
  static long[] broadcast(long[] a, long[] b) {
    if (a == null || b == null) {
      return null;
    }
    int r = Math.max(a.length, b.length);
    long[] out = new long[r];
    for (int i = 0; i < r; i++) {
      long x = i < r - a.length ? 1 : a[i - (r - a.length)];
      long y = i < r - b.length ? 1 : b[i - (r - b.length)];
      out[i] = x == 1 ? y : y == 1 ? x : x == -1 ? y : x;
    }
    return out;
  }
}
