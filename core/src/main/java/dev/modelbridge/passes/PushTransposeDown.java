package dev.modelbridge.passes;

import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.Tensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Moves a Transpose below an element-wise op: {@code op(Transpose(x, p))} becomes
 * {@code Transpose(op(x), p)}. For an op with several inputs every other input must be a Transpose
 * with the same permutation, or a constant (transposed by the inverse permutation, with leading
 * 1s added for broadcasting), or a scalar. Transposes so meet their inverses further down, where
 * {@link FoldTransposePairs} removes them. Only Transposes read by nothing else are moved.
 */
public final class PushTransposeDown implements GraphPass {
  /** Element-wise ops of the default domain whose inputs broadcast and whose output has their shape. */
  static final Set<String> ELEMENTWISE = Set.of(
      "Relu", "Sigmoid", "Tanh", "Exp", "Log", "Neg", "Abs", "Sqrt", "Reciprocal", "Floor", "Ceil", "Round",
      "Sign", "Erf", "Elu", "Selu", "LeakyRelu", "Softplus", "Softsign", "HardSigmoid", "HardSwish", "Identity",
      "Cast", "Not", "IsNaN", "Sin", "Cos", "Clip", "Add", "Sub", "Mul", "Div", "Max", "Min", "Pow", "Mod",
      "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor", "Where", "PRelu");

  private final long maxConstantBytes;

  public PushTransposeDown() {
    this(FoldConstantTranspose.DEFAULT_MAX_BYTES);
  }

  public PushTransposeDown(long maxConstantBytes) {
    this.maxConstantBytes = maxConstantBytes;
  }

  @Override
  public String name() {
    return "push-transpose-down";
  }

  @Override
  public Graph apply(Graph graph) {
    Rewrite r = new Rewrite(graph);
    Set<String> dropped = new HashSet<>(); // outputs of the Transposes moved below their reader
    List<Node> nodes = new ArrayList<>();
    List<Tensor> added = new ArrayList<>();
    for (Node n : graph.nodes()) {
      List<Node> rewritten = ELEMENTWISE.contains(n.opType()) && n.domain().isEmpty() && n.outputs().size() == 1
          ? push(r, n, dropped, added) : null;
      if (rewritten == null) {
        nodes.add(n);
      } else {
        nodes.addAll(rewritten);
      }
    }
    if (dropped.isEmpty()) {
      return graph;
    }
    nodes.removeIf(n -> Rewrite.isTranspose(n) && dropped.contains(n.outputs().get(0)));
    return r.with(nodes, added);
  }

  /** The nodes replacing {@code n}, or null when the pattern does not apply. */
  private List<Node> push(Rewrite r, Node n, Set<String> dropped, List<Tensor> added) {
    long[] perm = null;
    for (String in : n.inputs()) {
      Optional<Node> t = r.transposeOf(in);
      if (t.isPresent() && r.singleUse(in) && !dropped.contains(in)) {
        perm = Rewrite.perm(t.get()).orElseThrow();
        break;
      }
    }
    if (perm == null) {
      return null;
    }
    long[] inverse = Rewrite.inverse(perm);
    List<String> inputs = new ArrayList<>();
    List<Node> movedTransposes = new ArrayList<>();
    List<Tensor> constants = new ArrayList<>();
    for (String in : n.inputs()) {
      Optional<Node> t = r.transposeOf(in);
      Optional<Tensor> c = r.constant(in);
      if (in.isEmpty()) {
        inputs.add(in);
      } else if (t.isPresent() && r.singleUse(in) && !dropped.contains(in)
          && java.util.Arrays.equals(Rewrite.perm(t.get()).orElseThrow(), perm)) {
        inputs.add(t.get().inputs().get(0));
        movedTransposes.add(t.get());
      } else if (c.isPresent() && (c.get().rank() == 0 || elementCount(c.get()) == 1 && c.get().rank() <= perm.length)) {
        inputs.add(in); // a scalar (or one element) broadcasts the same in any layout
      } else if (c.isPresent() && Rewrite.transposable(c.get(), perm.length, maxConstantBytes)) {
        Tensor moved = Rewrite.transposed(c.get(), inverse, r.fresh(in + "/transposed"));
        constants.add(moved);
        inputs.add(moved.name());
      } else {
        return null; // an input of another layout: leave the Transpose where it is
      }
    }
    movedTransposes.forEach(t -> dropped.add(t.outputs().get(0)));
    added.addAll(constants);
    String out = n.outputs().get(0);
    String inner = r.fresh(out + "/untransposed");
    Node op = new Node(n.name(), n.domain(), n.opType(), n.overload(), inputs, List.of(inner), n.attributes(),
        n.docString(), n.metadata());
    return List.of(op, Rewrite.transpose(r.fresh(n.name() + "/Transpose"), inner, out, perm));
  }

  private static long elementCount(Tensor t) {
    return t.elementCount();
  }
}
