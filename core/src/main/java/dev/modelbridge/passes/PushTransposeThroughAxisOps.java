package dev.modelbridge.passes;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.Tensor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Moves a Transpose below ops that name axes, renumbering them: {@code Concat(Transpose(a, p),
 * Transpose(b, p), axis)} becomes {@code Transpose(Concat(a, b, axis = p[axis]), p)}, and
 * {@code Pad(Transpose(x, p), pads)} becomes {@code Transpose(Pad(x, pads permuted), p)} for
 * constant pads, and a reduction over constant axes reduces the untransposed axes (then, without
 * keepdims, only the order of the kept axes may still need a Transpose). Keras' ZeroPadding2D,
 * channel concatenations and global pooling in NHWC models need these.
 */
public final class PushTransposeThroughAxisOps implements GraphPass {
  private static final Set<String> REDUCTIONS = Set.of("ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin",
      "ReduceProd", "ReduceL1", "ReduceL2", "ReduceSumSquare", "ReduceLogSumExp");

  @Override
  public String name() {
    return "push-transpose-through-axis-ops";
  }

  @Override
  public Graph apply(Graph graph) {
    Rewrite r = new Rewrite(graph);
    Set<String> dropped = new HashSet<>();
    List<Node> nodes = new ArrayList<>();
    List<Tensor> added = new ArrayList<>();
    for (Node n : graph.nodes()) {
      List<Node> out = null;
      if (n.domain().isEmpty() && n.outputs().size() == 1 && n.opType().equals("Concat")) {
        out = concat(r, n, dropped);
      } else if (n.domain().isEmpty() && n.outputs().size() == 1 && n.opType().equals("Pad")) {
        out = pad(r, n, dropped, added);
      } else if (n.domain().isEmpty() && n.outputs().size() == 1 && REDUCTIONS.contains(n.opType())) {
        out = reduce(r, n, dropped, added);
      }
      nodes.addAll(out == null ? List.of(n) : out);
    }
    if (dropped.isEmpty()) {
      return graph;
    }
    nodes.removeIf(n -> Rewrite.isTranspose(n) && dropped.contains(n.outputs().get(0)));
    return r.with(nodes, added);
  }

  private static Optional<Node> movable(Rewrite r, String value, Set<String> dropped) {
    return r.singleUse(value) && !dropped.contains(value) ? r.transposeOf(value) : Optional.empty();
  }

  private static List<Node> concat(Rewrite r, Node n, Set<String> dropped) {
    long[] perm = null;
    List<String> inputs = new ArrayList<>();
    List<String> moved = new ArrayList<>();
    for (String in : n.inputs()) {
      Optional<Node> t = movable(r, in, dropped);
      if (t.isEmpty() || perm != null && !Arrays.equals(perm, Rewrite.perm(t.get()).orElseThrow())) {
        return null;
      }
      perm = Rewrite.perm(t.get()).orElseThrow();
      inputs.add(t.get().inputs().get(0));
      moved.add(in);
    }
    Optional<Attribute> axisAttr = n.attribute("axis");
    if (perm == null || axisAttr.isEmpty() || !(axisAttr.get() instanceof Attribute.IntAttr a)) {
      return null;
    }
    long axis = a.value() < 0 ? a.value() + perm.length : a.value();
    if (axis < 0 || axis >= perm.length) {
      return null;
    }
    dropped.addAll(moved);
    List<Attribute> attrs = new ArrayList<>();
    for (Attribute x : n.attributes()) {
      attrs.add(x.name().equals("axis") ? Attribute.of("axis", perm[(int) axis]) : x);
    }
    return rebuilt(r, n, inputs, attrs, perm);
  }

  private static List<Node> pad(Rewrite r, Node n, Set<String> dropped, List<Tensor> added) {
    if (n.inputs().size() < 2 || n.inputs().size() > 3) {
      return null; // an axes input (opset 18) is left alone
    }
    Optional<Node> t = movable(r, n.inputs().get(0), dropped);
    Optional<Tensor> pads = r.constant(n.inputs().get(1));
    if (t.isEmpty() || pads.isEmpty() || pads.get().elementType() != ElementType.INT64) {
      return null;
    }
    long[] perm = Rewrite.perm(t.get()).orElseThrow();
    int rank = perm.length;
    if (pads.get().elementCount() != 2L * rank) {
      return null;
    }
    ByteBuffer b = pads.get().data().bytes();
    long[] p = new long[2 * rank];
    for (int i = 0; i < rank; i++) {
      p[(int) perm[i]] = b.getLong(8 * i);
      p[rank + (int) perm[i]] = b.getLong(8 * (rank + i));
    }
    Tensor moved = Tensor.ofInt64s(r.fresh(n.inputs().get(1) + "/permuted"), new long[] {2L * rank}, p);
    added.add(moved);
    dropped.add(n.inputs().get(0));
    List<String> inputs = new ArrayList<>(n.inputs());
    inputs.set(0, t.get().inputs().get(0));
    inputs.set(1, moved.name());
    return rebuilt(r, n, inputs, n.attributes(), perm);
  }

  private static List<Node> reduce(Rewrite r, Node n, Set<String> dropped, List<Tensor> added) {
    Optional<Node> t = movable(r, n.inputs().get(0), dropped);
    if (t.isEmpty()) {
      return null;
    }
    long[] perm = Rewrite.perm(t.get()).orElseThrow();
    int rank = perm.length;
    long[] axes;
    boolean axesInput = n.inputs().size() > 1 && !n.inputs().get(1).isEmpty();
    if (axesInput) {
      Optional<Tensor> c = r.constant(n.inputs().get(1));
      if (c.isEmpty() || c.get().elementType() != ElementType.INT64) {
        return null;
      }
      ByteBuffer b = c.get().data().bytes();
      axes = new long[(int) c.get().elementCount()];
      for (int i = 0; i < axes.length; i++) {
        axes[i] = b.getLong(8 * i);
      }
    } else {
      Optional<Attribute> a = n.attribute("axes");
      if (a.isEmpty() || !(a.get() instanceof Attribute.IntsAttr ia)) {
        return null; // all axes, or noop_with_empty_axes: left alone
      }
      axes = ia.values().stream().mapToLong(Long::longValue).toArray();
    }
    if (axes.length == 0) {
      return null;
    }
    boolean[] reduced = new boolean[rank];
    long[] moved = new long[axes.length];
    for (int i = 0; i < axes.length; i++) {
      int ax = (int) (axes[i] < 0 ? axes[i] + rank : axes[i]);
      if (ax < 0 || ax >= rank) {
        return null;
      }
      reduced[ax] = true;
      moved[i] = perm[ax];
    }
    boolean keep = n.attribute("keepdims").map(a -> ((Attribute.IntAttr) a).value() != 0).orElse(true);
    long[] after = perm;
    if (!keep) {
      // The kept axes of x, in x's order, and where each kept axis of the transposed value sits among them.
      List<Long> keptX = new ArrayList<>();
      List<Long> keptY = new ArrayList<>();
      for (int i = 0; i < rank; i++) {
        if (!reduced[i]) {
          keptY.add(perm[i]);
        }
      }
      for (long x = 0; x < rank; x++) {
        if (keptY.contains(x)) {
          keptX.add(x);
        }
      }
      after = new long[keptY.size()];
      for (int k = 0; k < after.length; k++) {
        after[k] = keptX.indexOf(keptY.get(k));
      }
    }
    List<String> inputs = new ArrayList<>(n.inputs());
    inputs.set(0, t.get().inputs().get(0));
    List<Attribute> attrs = new ArrayList<>();
    if (axesInput) {
      Tensor axesTensor = Tensor.ofInt64s(r.fresh(n.inputs().get(1) + "/permuted"), new long[] {moved.length}, moved);
      added.add(axesTensor);
      inputs.set(1, axesTensor.name());
      attrs.addAll(n.attributes());
    } else {
      for (Attribute a : n.attributes()) {
        attrs.add(a.name().equals("axes") ? Attribute.ints("axes", moved) : a);
      }
    }
    dropped.add(n.inputs().get(0));
    if (Rewrite.isIdentity(after)) {
      return List.of(new Node(n.name(), n.domain(), n.opType(), n.overload(), inputs, n.outputs(), attrs,
          n.docString(), n.metadata()));
    }
    return rebuilt(r, n, inputs, attrs, after);
  }

  private static List<Node> rebuilt(Rewrite r, Node n, List<String> inputs, List<Attribute> attrs, long[] perm) {
    String out = n.outputs().get(0);
    String inner = r.fresh(out + "/untransposed");
    Node op = new Node(n.name(), n.domain(), n.opType(), n.overload(), inputs, List.of(inner), attrs,
        n.docString(), n.metadata());
    return List.of(op, Rewrite.transpose(r.fresh(n.name() + "/Transpose"), inner, out, perm));
  }
}
