package dev.modelbridge.tensorflow.convert;

import dev.modelbridge.ModelException;
import dev.modelbridge.tensorflow.graph.FlatGraph;
import dev.modelbridge.tensorflow.graph.TensorRef;
import dev.modelbridge.tensorflow.graph.TfNode;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.TensorShapeProto;

/**
 * The fully known static shape of a tensor where the graph does not record it, found through its
 * producers: a {@code Fill} or {@code Reshape} to constant dims, a {@code Transpose} by a constant
 * permutation, a variable read (the {@code VarHandleOp}'s {@code shape}), ops that keep their
 * input's shape. Converters that need the dims of an operand (a depthwise filter, whose channel
 * count becomes ONNX's {@code group}) use it when the operand is produced, not stored.
 */
final class StaticShapes {
  /** How far back through producers to look; deep chains end as "unknown" rather than overflow the stack. */
  private static final int MAX_DEPTH = 64;

  /** Ops whose output 0 has the shape of input 0. */
  private static final Set<String> SAME_AS_INPUT = Set.of(
      "Identity", "Snapshot", "StopGradient", "PreventGradient", "CheckNumerics", "Relu", "Relu6", "Elu", "Selu",
      "LeakyRelu", "Sigmoid", "Tanh", "Neg", "Abs", "Exp", "Log", "Sqrt", "Rsqrt", "Square", "Reciprocal", "Cast",
      "ZerosLike", "OnesLike");

  /** Element-wise ops whose output has the broadcast shape of their two inputs. */
  private static final Set<String> BROADCAST = Set.of(
      "Add", "AddV2", "Sub", "Mul", "Div", "RealDiv", "Maximum", "Minimum", "Pow", "SquaredDifference");

  private StaticShapes() {}

  /** The dims of {@code ref} when every one is known, else empty. */
  static Optional<long[]> dims(FlatGraph graph, TensorRef ref) {
    long[] d = dims(graph, ref, 0);
    return d == null || Arrays.stream(d).anyMatch(x -> x < 0) ? Optional.empty() : Optional.of(d);
  }

  private static long[] dims(FlatGraph graph, TensorRef ref, int depth) {
    Optional<TfNode> node = graph.node(ref.node());
    if (node.isEmpty() || depth >= MAX_DEPTH) {
      return null;
    }
    TfNode n = node.get();
    Optional<TensorShapeProto> recorded = Shapes.shape(n, ref.index());
    if (recorded.isPresent() && !recorded.get().getUnknownRank()) {
      long[] d = TfTensors.dims(recorded.get());
      if (Arrays.stream(d).allMatch(x -> x >= 0)) {
        return d;
      }
    }
    if (ref.index() != 0) {
      return null;
    }
    String op = n.op();
    int in = n.dataInputs().size();
    if (SAME_AS_INPUT.contains(op) && in > 0) {
      return dims(graph, n.dataInputs().get(0), depth + 1);
    }
    if (BROADCAST.contains(op) && in == 2) {
      long[] a = dims(graph, n.dataInputs().get(0), depth + 1);
      return a == null ? null : broadcast(a, dims(graph, n.dataInputs().get(1), depth + 1));
    }
    return switch (op) {
      case "Fill" -> in < 1 ? null : constantInts(graph, n.dataInputs().get(0));
      case "Reshape" -> in < 2 ? null : reshaped(graph, n, depth);
      case "Transpose" -> in < 2 ? null : transposed(graph, n, depth);
      case "ReadVariableOp" -> in < 1 ? null : variableShape(graph, n.dataInputs().get(0));
      case "VariableV2", "Variable" -> n.attr("shape").map(a -> known(a.getShape())).orElse(null);
      default -> null;
    };
  }

  /** Numpy broadcasting of two known shapes; null when either is unknown or they do not broadcast. */
  private static long[] broadcast(long[] a, long[] b) {
    if (b == null) {
      return null;
    }
    long[] out = new long[Math.max(a.length, b.length)];
    for (int i = 1; i <= out.length; i++) {
      long x = i <= a.length ? a[a.length - i] : 1;
      long y = i <= b.length ? b[b.length - i] : 1;
      if (x != y && x != 1 && y != 1) {
        return null;
      }
      out[out.length - i] = x == 1 ? y : x;
    }
    return out;
  }

  /** A Reshape's target; one -1 is resolved from the input's element count when that is known. */
  private static long[] reshaped(FlatGraph graph, TfNode n, int depth) {
    long[] target = constantInts(graph, n.dataInputs().get(1));
    if (target == null) {
      return null;
    }
    long known = 1;
    int unknown = -1;
    for (int i = 0; i < target.length; i++) {
      if (target[i] < 0) {
        if (unknown >= 0) {
          return null;
        }
        unknown = i;
      } else {
        known *= target[i];
      }
    }
    if (unknown >= 0) {
      long[] src = dims(graph, n.dataInputs().get(0), depth + 1);
      if (src == null || known == 0) {
        return null;
      }
      long count = Arrays.stream(src).reduce(1, (a, b) -> a * b);
      target = target.clone();
      target[unknown] = count / known;
    }
    return target;
  }

  private static long[] transposed(FlatGraph graph, TfNode n, int depth) {
    long[] perm = constantInts(graph, n.dataInputs().get(1));
    long[] src = perm == null ? null : dims(graph, n.dataInputs().get(0), depth + 1);
    if (src == null || src.length != perm.length) {
      return null;
    }
    long[] out = new long[perm.length];
    for (int i = 0; i < perm.length; i++) {
      if (perm[i] < 0 || perm[i] >= src.length) {
        return null;
      }
      out[i] = src[(int) perm[i]];
    }
    return out;
  }

  /** The declared shape of the variable a resource handle comes from. */
  private static long[] variableShape(FlatGraph graph, TensorRef handle) {
    return graph.node(graph.throughIdentities(handle).node())
        .filter(h -> h.op().equals("VarHandleOp") || h.op().equals("VariableV2"))
        .flatMap(h -> h.attr("shape")).map(a -> known(a.getShape())).orElse(null);
  }

  /** The dims of a shape attribute, null when its rank is unknown. */
  private static long[] known(TensorShapeProto s) {
    return s.getUnknownRank() ? null : TfTensors.dims(s);
  }

  /** The values of a constant integer vector (or scalar), else null. */
  private static long[] constantInts(FlatGraph graph, TensorRef ref) {
    TensorRef r = graph.throughIdentities(ref);
    Optional<AttrValue> value = graph.node(r.node()).filter(c -> c.op().equals("Const")).flatMap(c -> c.attr("value"));
    if (value.isEmpty()) {
      return null;
    }
    try {
      return TfTensors.longs(TfTensors.fromProto(r.node(), value.get().getTensor()));
    } catch (ModelException | IllegalArgumentException e) {
      return null;
    }
  }
}
