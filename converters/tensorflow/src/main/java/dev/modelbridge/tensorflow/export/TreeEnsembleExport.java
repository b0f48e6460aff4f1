package dev.modelbridge.tensorflow.export;

import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.proto.DataType;

/**
 * ai.onnx.ml TreeEnsemble (opset 5) without loops: every node's condition is computed for all
 * samples at once ([N, nodes]); each root-to-leaf path, enumerated at conversion time, is the
 * conjunction of its nodes' outcomes, gathered from the conditions and their negations; exactly
 * one path per tree holds, and a constant matrix from paths to targets aggregates the leaf weights.
 */
final class TreeEnsembleExport implements ExportRegistry.Family {
  private static final int LEQ = 0;
  private static final int MEMBER = 6;
  private static final String[] COMPARISONS = {"LessEqual", "Less", "GreaterEqual", "Greater", "Equal", "NotEqual"};

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add(MlExport.ML, "TreeEnsemble", 1, TreeEnsembleExport::treeEnsemble);
  }

  /** One root-to-leaf path: the literals that must hold (node i true: i, false: nodes + i) and its leaf. */
  private record Path(List<Integer> literals, int leaf) {}

  private static void treeEnsemble(ExportContext c) throws OpExportException {
    long[] features = req(c, "nodes_featureids");
    long[] trueIds = req(c, "nodes_truenodeids");
    long[] trueLeafs = req(c, "nodes_trueleafs");
    long[] falseIds = req(c, "nodes_falsenodeids");
    long[] falseLeafs = req(c, "nodes_falseleafs");
    long[] roots = req(c, "tree_roots");
    long[] targets = req(c, "leaf_targetids");
    double[] splits = doubles(c, "nodes_splits");
    double[] weights = doubles(c, "leaf_weights");
    double[] members = c.attrTensor("membership_values").isPresent() ? doubles(c, "membership_values") : new double[0];
    long[] modes = c.attrTensor("nodes_modes").map(TreeEnsembleExport::ints)
        .orElseThrow(() -> new OpExportException("nodes_modes is required"));
    long[] missing = c.attrInts("nodes_missing_value_tracks_true").orElse(new long[features.length]);
    int nodes = features.length;
    long nTargets = c.attrInt("n_targets", 1);
    long aggregate = c.attrInt("aggregate_function", 1);

    List<Path> paths = new ArrayList<>();
    for (long r : roots) {
      int root = (int) r;
      if (trueLeafs[root] != 0 && falseLeafs[root] != 0 && trueIds[root] == falseIds[root]) {
        paths.add(new Path(List.of(), (int) trueIds[root])); // a tree that is a single leaf
      } else {
        walk(root, new ArrayList<>(), nodes, trueIds, trueLeafs, falseIds, falseLeafs, paths);
      }
    }
    String h = c.hint();
    TfRef x = c.input(0);
    DataType t = x.dtype();
    TfRef xf = c.g().op("GatherV2", h + "/features").input(x).input(c.g().int64s(h + "/fid", features))
        .input(c.g().scalar(h + "/one", DataType.DT_INT32, 1)).attr("Tparams", t).attr("Tindices", DataType.DT_INT64)
        .attr("Taxis", DataType.DT_INT32).attr("batch_dims", 0L).output(t);
    TfRef splitsRef = values(c, "splits", t, new long[] {nodes}, splits);
    TfRef cond = null;
    for (int mode = LEQ; mode <= MEMBER; mode++) {
      boolean[] mask = new boolean[nodes];
      boolean any = false;
      for (int i = 0; i < nodes; i++) {
        mask[i] = modes[i] == mode;
        any |= mask[i];
      }
      if (!any) {
        continue;
      }
      TfRef hit = mode == MEMBER ? member(c, xf, modes, members, t)
          : c.g().op(COMPARISONS[mode], h + "/" + COMPARISONS[mode]).input(xf).input(splitsRef).attr("T", t)
              .output(DataType.DT_BOOL);
      TfRef masked = and(c, hit, bools(c, mask));
      cond = cond == null ? masked : or(c, cond, masked);
    }
    for (long m : modes) {
      if (m < LEQ || m > MEMBER) {
        throw new OpExportException("node mode " + m + " is unknown");
      }
    }
    boolean[] tracks = new boolean[nodes];
    boolean anyTracks = false;
    for (int i = 0; i < nodes; i++) {
      tracks[i] = missing[i] != 0;
      anyTracks |= tracks[i];
    }
    if (anyTracks) {
      TfRef nan = c.g().op("IsNan", h + "/IsNan").input(xf).attr("T", t).output(DataType.DT_BOOL);
      cond = or(c, cond, and(c, nan, bools(c, tracks)));
    }
    TfRef notCond = c.g().op("LogicalNot", h + "/Not").input(cond).output(DataType.DT_BOOL);
    TfRef first = c.g().op("StridedSlice", h + "/first").input(cond).input(c.g().int64s(h + "/b", 0, 0))
        .input(c.g().int64s(h + "/e", 0, 1)).input(c.g().int64s(h + "/s", 1, 1)).attr("T", DataType.DT_BOOL)
        .attr("Index", DataType.DT_INT64).attr("begin_mask", 1L).attr("end_mask", 1L).output(DataType.DT_BOOL);
    TfRef always = c.g().op("OnesLike", h + "/always").input(first).attr("T", DataType.DT_BOOL).output(DataType.DT_BOOL);
    TfRef lits = c.g().op("ConcatV2", h + "/literals").input(cond).input(notCond).input(always)
        .input(c.g().scalar(h + "/axis", DataType.DT_INT32, 1)).attr("N", 3L).attr("T", DataType.DT_BOOL)
        .attr("Tidx", DataType.DT_INT32).output(DataType.DT_BOOL);
    int depth = Math.max(1, paths.stream().mapToInt(p -> p.literals().size()).max().orElse(1));
    long[] idx = new long[paths.size() * depth];
    for (int p = 0; p < paths.size(); p++) {
      List<Integer> l = paths.get(p).literals();
      for (int d = 0; d < depth; d++) {
        idx[p * depth + d] = d < l.size() ? l.get(d) : 2L * nodes; // padded with the always-true column
      }
    }
    TfRef index = c.reshape(c.g().int64s(h + "/paths", idx), c.g().int64s(h + "/pshape", paths.size(), depth));
    TfRef gathered = c.g().op("GatherV2", h + "/path_literals").input(lits).input(index)
        .input(c.g().scalar(h + "/one", DataType.DT_INT32, 1)).attr("Tparams", DataType.DT_BOOL)
        .attr("Tindices", DataType.DT_INT64).attr("Taxis", DataType.DT_INT32).attr("batch_dims", 0L)
        .output(DataType.DT_BOOL);
    TfRef reached = c.g().op("All", h + "/reached").input(gathered).input(c.g().scalar(h + "/two", DataType.DT_INT32, 2))
        .attr("Tidx", DataType.DT_INT32).attr("keep_dims", false).output(DataType.DT_BOOL);
    TfRef y = aggregate(c, reached, paths, targets, weights, nTargets, aggregate, roots.length, t);
    c.bind(0, postTransform(c, y, c.attrInt("post_transform", 0)));
  }

  /** SUM and AVERAGE as a matrix product; MIN and MAX over the paths reached, per target. */
  private static TfRef aggregate(ExportContext c, TfRef reached, List<Path> paths, long[] targets, double[] weights,
      long nTargets, long function, int trees, DataType t) throws OpExportException {
    String h = c.hint();
    int n = paths.size();
    if (function == 0 || function == 1) {
      double[] w = new double[n * (int) nTargets];
      for (int p = 0; p < n; p++) {
        int leaf = paths.get(p).leaf();
        w[p * (int) nTargets + (int) targets[leaf]] += weights[leaf] / (function == 0 ? trees : 1);
      }
      return c.g().op("MatMul", h + "/MatMul").input(c.cast(reached, t))
          .input(values(c, "weights", t, new long[] {n, nTargets}, w)).attr("T", t).attr("transpose_a", false)
          .attr("transpose_b", false).output(t);
    }
    if (function != 2 && function != 3) {
      throw new OpExportException("aggregate_function " + function + " is not one of AVERAGE, SUM, MIN, MAX");
    }
    boolean min = function == 2;
    double init = t == DataType.DT_DOUBLE ? (min ? Double.MAX_VALUE : -Double.MAX_VALUE)
        : (min ? Float.MAX_VALUE : -Float.MAX_VALUE);
    double[] w = new double[n];
    boolean[] mask = new boolean[n * (int) nTargets];
    for (int p = 0; p < n; p++) {
      int leaf = paths.get(p).leaf();
      w[p] = weights[leaf];
      mask[p * (int) nTargets + (int) targets[leaf]] = true;
    }
    TfRef fill = c.g().scalar(h + "/init", t, init);
    TfRef v = select(c, reached, values(c, "leaf", t, new long[] {n}, w), fill);
    TfRef m = c.reshape(bools(c, mask), c.g().int64s(h + "/mshape", n, nTargets));
    TfRef perTarget = select(c, m, MatrixExport.expandDims(c, v, -1), fill);
    TfRef extreme = c.reduce(min ? "Min" : "Max", perTarget, new long[] {1}, false);
    // A target that no reached leaf feeds is 0, as in ONNX Runtime (the reference leaves the initial extreme).
    TfRef fed = c.g().op("Any", h + "/fed").input(and(c, MatrixExport.expandDims(c, reached, -1), m))
        .input(c.g().scalar(h + "/paxis", DataType.DT_INT32, 1)).attr("Tidx", DataType.DT_INT32)
        .attr("keep_dims", false).output(DataType.DT_BOOL);
    return select(c, fed, extreme, c.g().scalar(h + "/zero", t, 0));
  }

  /** As ONNX Runtime applies it (the reference implementation ignores post_transform). */
  private static TfRef postTransform(ExportContext c, TfRef y, long transform) throws OpExportException {
    switch ((int) transform) {
      case 0:
        return y;
      case 1:
        return c.g().op("Softmax", c.hint() + "/Softmax").input(y).attr("T", y.dtype()).output(y.dtype());
      case 2:
        return c.op("Sigmoid", y);
      case 4:
        TfRef z = c.op("Sub", c.op("Mul", y, c.scalarLike(y, 2)), c.scalarLike(y, 1));
        return c.op("Mul", c.op("Erfinv", z), c.scalarLike(y, Math.sqrt(2)));
      default:
        throw new OpExportException("post_transform " + transform + " is not converted");
    }
  }

  /** Whether each node's feature is in its set: sets padded with NaN, which equals nothing. */
  private static TfRef member(ExportContext c, TfRef xf, long[] modes, double[] members, DataType t)
      throws OpExportException {
    List<List<Double>> sets = new ArrayList<>();
    List<Double> current = new ArrayList<>();
    for (double v : members) {
      if (Double.isNaN(v)) {
        sets.add(current);
        current = new ArrayList<>();
      } else {
        current.add(v);
      }
    }
    int width = Math.max(1, sets.stream().mapToInt(List::size).max().orElse(1));
    double[] table = new double[modes.length * width];
    java.util.Arrays.fill(table, Double.NaN);
    int next = 0;
    for (int i = 0; i < modes.length; i++) {
      if (modes[i] == MEMBER) {
        if (next >= sets.size()) {
          throw new OpExportException("membership_values has fewer sets than set-membership nodes");
        }
        List<Double> s = sets.get(next++);
        for (int k = 0; k < s.size(); k++) {
          table[i * width + k] = s.get(k);
        }
      }
    }
    TfRef eq = c.g().op("Equal", c.hint() + "/member").input(MatrixExport.expandDims(c, xf, -1))
        .input(values(c, "sets", t, new long[] {modes.length, width}, table)).attr("T", t)
        .attr("incompatible_shape_error", true).output(DataType.DT_BOOL);
    return c.g().op("Any", c.hint() + "/Any").input(eq).input(c.g().scalar(c.hint() + "/last", DataType.DT_INT32, 2))
        .attr("Tidx", DataType.DT_INT32).attr("keep_dims", false).output(DataType.DT_BOOL);
  }

  private static void walk(int node, List<Integer> lits, int nodes, long[] trueIds, long[] trueLeafs, long[] falseIds,
      long[] falseLeafs, List<Path> out) {
    for (int branch = 0; branch < 2; branch++) {
      boolean taken = branch == 0;
      List<Integer> next = new ArrayList<>(lits);
      next.add(taken ? node : nodes + node);
      int id = (int) (taken ? trueIds[node] : falseIds[node]);
      if ((taken ? trueLeafs[node] : falseLeafs[node]) != 0) {
        out.add(new Path(next, id));
      } else {
        walk(id, next, nodes, trueIds, trueLeafs, falseIds, falseLeafs, out);
      }
    }
  }

  private static TfRef select(ExportContext c, TfRef cond, TfRef a, TfRef b) {
    return c.g().op("SelectV2", c.hint() + "/Select").input(cond).input(a).input(b).attr("T", a.dtype()).output(a.dtype());
  }

  private static TfRef and(ExportContext c, TfRef a, TfRef b) {
    return c.g().op("LogicalAnd", c.hint() + "/And").input(a).input(b).output(DataType.DT_BOOL);
  }

  private static TfRef or(ExportContext c, TfRef a, TfRef b) {
    return c.g().op("LogicalOr", c.hint() + "/Or").input(a).input(b).output(DataType.DT_BOOL);
  }

  private static TfRef bools(ExportContext c, boolean[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length);
    for (boolean x : v) {
      b.put((byte) (x ? 1 : 0));
    }
    return c.g().constant(c.hint() + "/mask", DataType.DT_BOOL, new long[] {v.length}, b.flip());
  }

  /** A constant of the input's float type. */
  private static TfRef values(ExportContext c, String name, DataType t, long[] dims, double[] v) throws OpExportException {
    boolean dbl = t == DataType.DT_DOUBLE;
    if (!dbl && t != DataType.DT_FLOAT) {
      throw new OpExportException("inputs of " + t + " are not converted, only float and double");
    }
    ByteBuffer b = ByteBuffer.allocate(v.length * (dbl ? 8 : 4)).order(ByteOrder.LITTLE_ENDIAN);
    for (double x : v) {
      if (dbl) {
        b.putDouble(x);
      } else {
        b.putFloat((float) x);
      }
    }
    return c.g().constant(c.hint() + "/" + name, t, dims, b.flip());
  }

  private static long[] req(ExportContext c, String name) throws OpExportException {
    return c.attrInts(name).orElseThrow(() -> new OpExportException(name + " is required"));
  }

  /** A float, double or half tensor attribute as doubles. */
  private static double[] doubles(ExportContext c, String name) throws OpExportException {
    Tensor t = c.attrTensor(name).orElseThrow(() -> new OpExportException(name + " is required"));
    ByteBuffer b = t.data().bytes().order(ByteOrder.LITTLE_ENDIAN);
    double[] out = new double[(int) t.elementCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = switch (t.elementType()) {
        case DOUBLE -> b.getDouble();
        case FLOAT -> b.getFloat();
        default -> throw new OpExportException(name + " of " + t.elementType().label() + " is not converted");
      };
    }
    return out;
  }

  /** The uint8 modes (or any integer tensor) as longs. */
  private static long[] ints(Tensor t) {
    if (t.elementType() != ElementType.UINT8) {
      return ExportContext.ints(t).orElse(new long[0]);
    }
    ByteBuffer b = t.data().bytes();
    long[] out = new long[(int) t.elementCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.get() & 0xff;
    }
    return out;
  }
}
