package dev.modelbridge.tensorflow.export;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.NodeDef;

/**
 * Moves Transposes across Reshapes that only split or merge axes, part of {@link TransposePass}.
 * A Reshape pairs runs of consecutive input axes with runs of output axes of the same element
 * count ({@code [N, C, H, W]} to {@code [N, g, C/g, H, W]}: {@code C} to {@code g, C/g}). When
 * each run the Reshape reads comes from consecutive source axes in order, the Transpose can go
 * below it; when each run it writes goes to consecutive output positions of a following
 * Transpose, that Transpose can go above it. A channel shuffle in NHWC (NCHW Transpose, split
 * Reshape, 5-D Transpose, merge Reshape, NHWC Transpose) so keeps one 5-D Transpose of four.
 */
final class ReshapeTransposes {
  private final GraphEdit g;
  private final StaticDims dims;
  private final Set<String> pinned;

  ReshapeTransposes(GraphEdit g, StaticDims dims, Set<String> pinned) {
    this.g = g;
    this.dims = dims;
    this.pinned = pinned;
  }

  /** One run: input axes {@code [in0, in1)} of a Reshape hold output axes {@code [out0, out1)}. */
  private record Run(int in0, int in1, int out0, int out1) {}

  /**
   * {@code Reshape(Transpose(x, p), s)} as {@code Transpose(Reshape(x, s'), p')} when the
   * Transpose feeds only the Reshape and keeps every run's source axes together and in order.
   */
  boolean pushBelow(NodeDef.Builder reshape) {
    List<String> in = GraphEdit.dataInputs(reshape);
    NodeDef.Builder t = g.producer(in.get(0));
    if (t == null || !t.getOp().equals("Transpose") || GraphEdit.outputIndex(in.get(0)) != 0
        || pinned.contains(t.getName()) || g.uses(t.getName()) != 1) {
      return false;
    }
    long[] perm = g.constInts(t.getInput(1)).orElse(null);
    long[] source = dims.of(t.getInput(0));
    long[] target = dims.of(reshape.getName());
    List<Run> runs = perm == null || source == null || source.length != perm.length ? null
        : runs(TransposePass.permute(source, perm), target);
    if (runs == null) {
      return false;
    }
    for (Run r : runs) {
      for (int k = r.in0 + 1; k < r.in1; k++) {
        if (perm[k] != perm[r.in0] + (k - r.in0)) {
          return false;
        }
      }
    }
    // The source holds the runs in the order of their first source axis.
    List<Run> bySource = new ArrayList<>(runs);
    bySource.sort(Comparator.comparingLong(r -> perm[r.in0]));
    long[] split = new long[target.length];
    int[] offset = new int[runs.size()];
    int at = 0;
    for (Run r : bySource) {
      offset[runs.indexOf(r)] = at;
      for (int k = r.out0; k < r.out1; k++) {
        split[at++] = target[k];
      }
    }
    long[] newPerm = new long[target.length];
    int p = 0;
    for (int i = 0; i < runs.size(); i++) {
      Run r = runs.get(i);
      for (int k = 0; k < r.out1 - r.out0; k++) {
        newPerm[p++] = offset[i] + k;
      }
    }
    DataType type = reshape.getAttrOrThrow("T").getType();
    String pre = reshape(reshape.getName() + "/split", t.getInput(0), split, type);
    String after = g.transpose(reshape.getName() + "/Transpose", pre, type, newPerm);
    g.rewire(reshape.getName(), after);
    dims.changed(reshape.getName());
    return true;
  }

  /**
   * {@code Transpose(Reshape(y, s), q)} as {@code Reshape(Transpose(y, q'), s[q])} when the Reshape
   * feeds only the Transpose, reads a Transpose (with which the moved one then merges), and
   * {@code q} keeps every run's output axes together and in order.
   */
  boolean pullAbove(NodeDef.Builder transpose) {
    NodeDef.Builder r = g.producer(transpose.getInput(0));
    if (r == null || !r.getOp().equals("Reshape") || GraphEdit.outputIndex(transpose.getInput(0)) != 0
        || pinned.contains(r.getName()) || g.uses(r.getName()) != 1) {
      return false;
    }
    String y = GraphEdit.dataInputs(r).get(0);
    NodeDef.Builder before = g.producer(y);
    if (before == null || !before.getOp().equals("Transpose")) {
      return false;
    }
    long[] q = g.constInts(transpose.getInput(1)).orElse(null);
    long[] from = dims.of(y);
    long[] shape = dims.of(r.getName());
    List<Run> runs = q == null || from == null || shape == null || shape.length != q.length ? null : runs(from, shape);
    if (runs == null) {
      return false;
    }
    long[] position = new long[q.length];
    for (int i = 0; i < q.length; i++) {
      position[(int) q[i]] = i;
    }
    for (Run run : runs) {
      for (int k = run.out0 + 1; k < run.out1; k++) {
        if (position[k] != position[run.out0] + (k - run.out0)) {
          return false;
        }
      }
    }
    List<Run> byOutput = new ArrayList<>(runs);
    byOutput.sort(Comparator.comparingLong(run -> position[run.out0]));
    long[] newPerm = new long[from.length];
    int p = 0;
    for (Run run : byOutput) {
      for (int k = run.in0; k < run.in1; k++) {
        newPerm[p++] = k;
      }
    }
    DataType type = transpose.getAttrOrThrow("T").getType();
    String moved = g.transpose(transpose.getName() + "/pulled", y, type, newPerm);
    String after = reshape(transpose.getName() + "/Reshape", moved, TransposePass.permute(shape, q), type);
    g.rewire(transpose.getName(), after);
    dims.changed(transpose.getName());
    return true;
  }

  private String reshape(String hint, String x, long[] shape, DataType type) {
    String s = g.constant(hint + "/shape", DataType.DT_INT64, new long[] {shape.length}, shape);
    return g.add(NodeDef.newBuilder().setOp("Reshape").setName(hint).addInput(x).addInput(s)
        .putAttr("T", GraphEdit.type(type)).putAttr("Tshape", GraphEdit.type(DataType.DT_INT64)));
  }

  /**
   * The runs pairing the axes of {@code a} with those of {@code b}, each run non-empty on both
   * sides; null when the dims are not all known and positive or the counts do not pair up.
   */
  static List<Run> runs(long[] a, long[] b) {
    if (a == null || b == null || Arrays.stream(a).anyMatch(d -> d <= 0) || Arrays.stream(b).anyMatch(d -> d <= 0)) {
      return null;
    }
    List<Run> out = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < a.length && j < b.length) {
      int i0 = i;
      int j0 = j;
      long pa = a[i++];
      long pb = b[j++];
      while (pa != pb) {
        if (pa < pb && i < a.length) {
          pa *= a[i++];
        } else if (pb < pa && j < b.length) {
          pb *= b[j++];
        } else {
          return null;
        }
      }
      out.add(new Run(i0, i, j0, j));
    }
    if (i < a.length || j < b.length) {
      // Trailing 1s join the last run; anything else does not pair up.
      if (out.isEmpty() || Arrays.stream(a, i, a.length).anyMatch(d -> d != 1) || Arrays.stream(b, j, b.length).anyMatch(d -> d != 1)) {
        return null;
      }
      Run last = out.remove(out.size() - 1);
      out.add(new Run(last.in0, a.length, last.out0, b.length));
    }
    return out;
  }
}
