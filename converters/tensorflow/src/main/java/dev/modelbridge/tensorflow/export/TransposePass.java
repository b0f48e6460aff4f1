package dev.modelbridge.tensorflow.export;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * Removes the layout Transposes the handlers emit around each NHWC op (Conv2D, pools, LRN), so
 * that a plain CNN keeps one Transpose after each 4-D input and one before each output (or where
 * a layout-sensitive op such as Reshape needs NCHW). Works on the emitted TensorFlow graph, where
 * the NHWC ops are, by three rewrites repeated until none applies:
 *
 * <ul>
 *   <li>a Transpose of a Transpose becomes one Transpose, or nothing when the two cancel;
 *   <li>a Transpose of a constant or of a Fill becomes a permuted constant or Fill;
 *   <li>a Transpose feeding an element-wise op, a Concat or a keep-dims reduction moves below it:
 *       {@code op(T(x), s) = T(op(x, s'))}, with a Concat or reduction axis remapped and a
 *       broadcast side input {@code s} reshaped into the new layout (allowed only when a Reshape
 *       does it: the side input's non-1 dims keep their order, as a bias or scale of shape
 *       {@code [C, 1, 1]} does);
 *   <li>a Transpose moves across a Reshape that only splits or merges axes it keeps together
 *       ({@link ReshapeTransposes}).
 * </ul>
 *
 * Duplicate Transposes of one tensor are merged, and Transposes and constants left unused are
 * removed. Nodes named in {@code pinned} (signature tensors) are never rewritten.
 */
final class TransposePass {
  private static final Set<String> REDUCTIONS = Set.of("Mean", "Max", "Min", "Sum", "Prod");
  private static final Set<String> REMOVABLE = Set.of("Transpose", "Const", "Fill", "Reshape");
  private static final int MAX_SWEEPS = 1000;

  private final GraphEdit g;
  private final StaticDims dims;
  private final Set<String> pinned;
  private final ReshapeTransposes reshapes;

  private TransposePass(GraphDef def, Map<String, long[]> known, Set<String> pinned) {
    this.g = new GraphEdit(def);
    this.dims = new StaticDims(g, new HashMap<>(known));
    this.pinned = pinned;
    this.reshapes = new ReshapeTransposes(g, dims, pinned);
  }

  /**
   * The optimised graph.
   *
   * @param known static dims of tensors by name ({@code node:index})
   * @param pinned nodes that must keep their name and meaning (signature inputs and outputs)
   */
  static GraphDef optimize(GraphDef def, Map<String, long[]> known, Set<String> pinned) {
    TransposePass p = new TransposePass(def, known, pinned);
    for (int sweep = 0; sweep < MAX_SWEEPS && p.sweep(); sweep++) {
      // Each sweep moves transposes strictly down a finite DAG or removes them.
    }
    return p.g.build();
  }

  private boolean sweep() {
    boolean changed = false;
    for (String name : g.names()) {
      NodeDef.Builder n = g.node(name);
      if (n == null || pinned.contains(name)) {
        continue;
      }
      changed |= n.getOp().equals("Transpose") ? collapse(n) || reshapes.pullAbove(n)
          : n.getOp().equals("Reshape") ? reshapeFill(n) || reshapes.pushBelow(n) : push(n);
    }
    changed |= mergeDuplicates();
    changed |= removeDead();
    return changed;
  }

  private long[] perm(NodeDef.Builder transpose) {
    return g.constInts(transpose.getInput(1)).orElse(null);
  }

  /** Transpose of Transpose, of a constant, or of a Fill. */
  private boolean collapse(NodeDef.Builder t) {
    long[] outer = perm(t);
    NodeDef.Builder in = g.producer(t.getInput(0));
    if (outer == null || in == null || GraphEdit.outputIndex(t.getInput(0)) != 0) {
      return false;
    }
    switch (in.getOp()) {
      case "Transpose" -> {
        long[] inner = perm(in);
        if (inner == null || inner.length != outer.length) {
          return false;
        }
        long[] composed = new long[outer.length];
        boolean identity = true;
        for (int i = 0; i < outer.length; i++) {
          composed[i] = inner[(int) outer[i]];
          identity &= composed[i] == i;
        }
        if (identity) {
          g.rewire(t.getName(), in.getInput(0));
        } else {
          t.setInput(0, in.getInput(0));
          t.setInput(1, g.constant(t.getName() + "/perm", DataType.DT_INT32, new long[] {outer.length}, composed));
        }
        dims.changed(t.getName());
        return true;
      }
      case "Fill" -> {
        long[] shape = g.constInts(in.getInput(0)).orElse(null);
        if (shape == null || shape.length != outer.length) {
          return false;
        }
        long[] permuted = permute(shape, outer);
        String d = g.constant(t.getName() + "/dims", DataType.DT_INT64, new long[] {permuted.length}, permuted);
        NodeDef.Builder fill = in.clone().setName(t.getName() + "/Fill").setInput(0, d);
        fill.putAttr("index_type", GraphEdit.type(DataType.DT_INT64));
        g.rewire(t.getName(), g.add(fill));
        dims.changed(t.getName());
        return true;
      }
      case "Const" -> {
        return g.constTensor(t.getInput(0)).flatMap(c -> ConstPermute.permute(c, outer)).map(c -> {
          g.rewire(t.getName(), g.constant(t.getName() + "/folded", c));
          dims.changed(t.getName());
          return true;
        }).orElse(false);
      }
      default -> {
        return false;
      }
    }
  }

  /**
   * A Reshape of a Fill to a constant shape is a Fill of that shape: a filled depthwise kernel
   * then stays a Fill, which readers take as a constant of known shape.
   */
  private boolean reshapeFill(NodeDef.Builder r) {
    NodeDef.Builder fill = g.producer(r.getInput(0));
    long[] shape = g.constInts(r.getInput(1)).orElse(null);
    if (fill == null || !fill.getOp().equals("Fill") || shape == null || java.util.Arrays.stream(shape).anyMatch(d -> d < 0)
        || g.constInts(fill.getInput(0)).isEmpty()) {
      return false;
    }
    String d = g.constant(r.getName() + "/dims", DataType.DT_INT64, new long[] {shape.length}, shape);
    NodeDef.Builder f = fill.clone().setName(r.getName() + "/Fill").setInput(0, d);
    f.putAttr("index_type", GraphEdit.type(DataType.DT_INT64));
    g.rewire(r.getName(), g.add(f));
    dims.changed(r.getName());
    return true;
  }

  /** Moves a rank-4 Transpose on the inputs of {@code n} below it. */
  private boolean push(NodeDef.Builder n) {
    String op = n.getOp();
    boolean concat = op.equals("ConcatV2");
    boolean reduce = REDUCTIONS.contains(op) && n.containsAttr("keep_dims") && n.getAttrOrThrow("keep_dims").getB();
    if (!StaticDims.UNARY.contains(op) && !StaticDims.BINARY.contains(op) && !concat && !reduce) {
      return false;
    }
    List<String> inputs = GraphEdit.dataInputs(n);
    int data = concat ? inputs.size() - 1 : reduce ? 1 : inputs.size();
    long[] perm = null;
    for (int i = 0; i < data; i++) {
      NodeDef.Builder p = g.producer(inputs.get(i));
      long[] q = p != null && p.getOp().equals("Transpose") && GraphEdit.outputIndex(inputs.get(i)) == 0 ? perm(p) : null;
      if (q != null && q.length == 4 && (perm == null || java.util.Arrays.equals(perm, q))) {
        perm = q;
      }
    }
    if (perm == null) {
      return false;
    }
    List<String> replaced = new ArrayList<>(inputs);
    for (int i = 0; i < data; i++) {
      NodeDef.Builder p = g.producer(inputs.get(i));
      boolean same = p.getOp().equals("Transpose") && java.util.Arrays.equals(perm(p), perm);
      String r = same ? p.getInput(0) : concat ? null : side(n.getName(), inputs.get(i), perm);
      if (r == null) {
        return false;
      }
      replaced.set(i, r);
    }
    if (concat || reduce) {
      String axisInput = inputs.get(data);
      long[] axes = g.constInts(axisInput).orElse(null);
      if (axes == null) {
        return false;
      }
      long[] remapped = new long[axes.length];
      for (int i = 0; i < axes.length; i++) {
        remapped[i] = perm[(int) (axes[i] < 0 ? axes[i] + 4 : axes[i])];
      }
      var t = g.constTensor(axisInput).get();
      replaced.set(data, g.constant(n.getName() + "/axis", t.getDtype(), StaticDims.dims(t.getTensorShape()), remapped));
    }
    DataType out = n.getAttrOrThrow(op.equals("Cast") ? "DstT" : "T").getType();
    long[] was = dims.of(n.getName());
    String after = g.transpose(n.getName() + "/Transpose", n.getName(), out, perm);
    g.rewire(n.getName(), after);
    g.node(after).setInput(0, n.getName()); // rewire also caught the new Transpose's own input
    int k = 0;
    for (int i = 0; i < n.getInputCount(); i++) {
      if (!n.getInput(i).startsWith("^")) {
        n.setInput(i, replaced.get(k++));
      }
    }
    // n now computes in the layout above the Transpose: its dims are the old ones un-permuted.
    dims.set(n.getName(), was == null ? null : unpermute(was, perm));
    return true;
  }

  /**
   * {@code s} in the layout below the Transpose: a Reshape to the inverse-permuted broadcast
   * shape, or {@code s} itself when all its dims are 1; null when neither does.
   */
  private String side(String hint, String s, long[] perm) {
    long[] d = dims.of(s);
    if (d == null || d.length > 4) {
      return null;
    }
    long[] d4 = new long[4];
    java.util.Arrays.fill(d4, 1);
    System.arraycopy(d, 0, d4, 4 - d.length, d.length);
    long[] inverse = new long[4];
    for (int i = 0; i < 4; i++) {
      inverse[(int) perm[i]] = i;
    }
    long[] target = permute(d4, inverse);
    int last = -1;
    int unknown = 0;
    for (int j = 0; j < 4; j++) {
      int from = (int) inverse[j];
      if (d4[from] != 1) {
        if (from < last) {
          return null;
        }
        last = from;
        unknown += d4[from] < 0 ? 1 : 0;
      }
    }
    if (last < 0) {
      return s;
    }
    if (unknown > 1) {
      return null;
    }
    String shape = g.constant(hint + "/side_shape", DataType.DT_INT64, new long[] {4}, target);
    NodeDef.Builder p = g.producer(s);
    DataType t = p.containsAttr("T") ? p.getAttrOrThrow("T").getType()
        : p.containsAttr("dtype") ? p.getAttrOrThrow("dtype").getType() : null;
    if (t == null || p.getOp().equals("Cast")) {
      return null;
    }
    return g.add(NodeDef.newBuilder().setOp("Reshape").setName(hint + "/side").addInput(s).addInput(shape)
        .putAttr("T", GraphEdit.type(t)).putAttr("Tshape", GraphEdit.type(DataType.DT_INT64)));
  }

  /** The dims {@code d} such that {@code permute(d, perm)} is {@code dims}. */
  static long[] unpermute(long[] dims, long[] perm) {
    long[] out = new long[perm.length];
    for (int i = 0; i < perm.length; i++) {
      out[(int) perm[i]] = dims[i];
    }
    return out;
  }

  static long[] permute(long[] dims, long[] perm) {
    long[] out = new long[perm.length];
    for (int i = 0; i < perm.length; i++) {
      out[i] = dims[(int) perm[i]];
    }
    return out;
  }

  private boolean mergeDuplicates() {
    Map<String, String> seen = new HashMap<>();
    boolean changed = false;
    for (String name : g.names()) {
      NodeDef.Builder n = g.node(name);
      if (n == null || !n.getOp().equals("Transpose") || pinned.contains(name)) {
        continue;
      }
      long[] p = perm(n);
      if (p == null) {
        continue;
      }
      String key = n.getInput(0) + "|" + java.util.Arrays.toString(p);
      String first = seen.putIfAbsent(key, name);
      if (first != null) {
        g.rewire(name, first);
        changed = true;
      }
    }
    return changed;
  }

  private boolean removeDead() {
    boolean any = false;
    for (boolean changed = true; changed; ) {
      changed = false;
      Map<String, Integer> uses = new HashMap<>();
      for (String name : g.names()) {
        for (String in : g.node(name).getInputList()) {
          uses.merge(GraphEdit.nodeName(in), 1, Integer::sum);
        }
      }
      for (String name : g.names()) {
        if (REMOVABLE.contains(g.node(name).getOp()) && !pinned.contains(name) && !uses.containsKey(name)) {
          g.remove(name);
          changed = true;
          any = true;
        }
      }
    }
    return any;
  }
}
