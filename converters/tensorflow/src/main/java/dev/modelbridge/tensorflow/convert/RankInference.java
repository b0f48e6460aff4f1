package dev.modelbridge.tensorflow.convert;

import dev.modelbridge.tensorflow.graph.FlatGraph;
import dev.modelbridge.tensorflow.graph.TensorRef;
import dev.modelbridge.tensorflow.graph.TfNode;
import java.util.Optional;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.TensorProto;

/**
 * The rank of a tensor where the graph does not record it: graphs built without shape annotations
 * (TensorFlow Java, {@code tf.compat.v1} graphs saved without {@code _output_shapes}) still say it
 * through their producers: a Reshape to a constant shape, a Transpose by a constant permutation,
 * ops that keep the rank of their input or broadcast two inputs. Only the TensorFlow graph is read.
 */
final class RankInference {
  /** How far back through producers to look; deep chains end as "unknown" rather than overflow the stack. */
  private static final int MAX_DEPTH = 64;

  /** Ops whose output 0 has the rank of input 0. */
  private static final Set<String> SAME_AS_INPUT = Set.of(
      "Identity", "Snapshot", "StopGradient", "PreventGradient", "CheckNumerics", "EnsureShape",
      "Relu", "Relu6", "Elu", "Selu", "LeakyRelu", "Sigmoid", "Tanh", "Softplus", "Softsign", "Softmax", "LogSoftmax",
      "Neg", "Abs", "Exp", "Log", "Sqrt", "Rsqrt", "Square", "Reciprocal", "Erf", "Floor", "Ceil", "Round", "Sign", "Cast",
      "BiasAdd", "BiasAddV1", "FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3",
      "Conv2D", "DepthwiseConv2dNative", "MaxPool", "AvgPool", "ZerosLike", "OnesLike", "ReadVariableOp");

  /** Element-wise ops whose output has the larger rank of their two inputs (numpy broadcasting). */
  private static final Set<String> BROADCAST = Set.of(
      "Add", "AddV2", "Sub", "Mul", "Div", "RealDiv", "FloorDiv", "FloorMod", "Maximum", "Minimum", "Pow",
      "SquaredDifference", "BatchMatMul", "BatchMatMulV2", "BatchMatMulV3");

  private RankInference() {}

  /** The rank of {@code ref}, or -1 when neither the graph nor its producers tell. */
  static int rank(FlatGraph graph, TensorRef ref) {
    return rank(graph, ref, 0);
  }

  private static int rank(FlatGraph graph, TensorRef ref, int depth) {
    Optional<TfNode> node = graph.node(ref.node());
    if (node.isEmpty()) {
      return -1;
    }
    TfNode n = node.get();
    int recorded = Shapes.rank(n, ref.index());
    if (recorded >= 0 || depth >= MAX_DEPTH) {
      return recorded;
    }
    String op = n.op();
    int in = n.dataInputs().size();
    if (ref.index() == 0 && SAME_AS_INPUT.contains(op) && in > 0) {
      return rank(graph, n.dataInputs().get(0), depth + 1);
    }
    if (ref.index() != 0) {
      return -1;
    }
    if (BROADCAST.contains(op) && in >= 2) {
      int a = rank(graph, n.dataInputs().get(in - 2), depth + 1);
      int b = a < 0 ? -1 : rank(graph, n.dataInputs().get(in - 1), depth + 1);
      return a < 0 || b < 0 ? -1 : Math.max(a, b);
    }
    return switch (op) {
      case "MatMul" -> 2;
      case "Reshape", "Transpose" -> in < 2 ? -1 : constantLength(graph, n.dataInputs().get(1));
      case "ExpandDims" -> plus(rank(graph, n.dataInputs().get(0), depth + 1), 1);
      case "Pack" -> in < 1 ? -1 : plus(rank(graph, n.dataInputs().get(0), depth + 1), 1);
      case "ConcatV2" -> in < 2 ? -1 : rank(graph, n.dataInputs().get(0), depth + 1);
      case "Einsum" -> einsumRank(n.attrString("equation", ""));
      // A TensorList's items have the rank of the element shape the reading op names.
      case "TensorListGetItem" -> in < 3 ? -1 : constantLength(graph, n.dataInputs().get(2));
      case "TensorListStack" -> in < 2 ? -1 : plus(constantLength(graph, n.dataInputs().get(1)), 1);
      default -> -1;
    };
  }

  private static int plus(int rank, int more) {
    return rank < 0 ? -1 : rank + more;
  }

  /** The number of elements of a constant vector such as a Reshape's shape or a permutation. */
  private static int constantLength(FlatGraph graph, TensorRef ref) {
    TensorRef r = graph.throughIdentities(ref);
    return graph.node(r.node()).filter(c -> c.op().equals("Const")).flatMap(c -> c.attr("value"))
        .map(AttrValue::getTensor).map(TensorProto::getTensorShape)
        .filter(s -> s.getDimCount() == 1 && s.getDim(0).getSize() >= 0)
        .map(s -> (int) s.getDim(0).getSize()).orElse(-1);
  }

  /** The number of output subscripts of an explicit Einsum equation without ellipsis. */
  private static int einsumRank(String equation) {
    int arrow = equation.indexOf("->");
    if (arrow < 0 || equation.contains("...")) {
      return -1;
    }
    return equation.substring(arrow + 2).trim().length();
  }
}
