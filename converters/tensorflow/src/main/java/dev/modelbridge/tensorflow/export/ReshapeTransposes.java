package dev.modelbridge.tensorflow.export;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.NodeDef;

/**
 * Moves Transposes across Reshapes that only split or merge axes, part of {@link TransposePass}.
 * A Reshape pairs runs of consecutive input axes with runs of output axes of the same element
 * count ({@code [N, C, H, W]} to {@code [N, g, C/g, H, W]}: {@code C} to {@code g, C/g}). When
 * each run the Reshape reads comes from consecutive source axes in order, the Transpose can go
 * below it; when each run it writes goes to consecutive output positions of a following
 * Transpose, that Transpose can go above it. Axes of length 1 go wherever needed, so a Transpose
 * that only moves them disappears (the flatten of a globally pooled {@code [N, C, 1, 1]}). A channel
 * shuffle in NHWC (NCHW Transpose, split Reshape, 5-D Transpose, merge Reshape, NHWC Transpose) so
 * keeps one 5-D Transpose of four.
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

  /**
   * One run: the axes {@code in} of a Reshape's input hold the axes {@code out} of its output (both
   * consecutive once axes of length 1, which may go anywhere, are left out).
   */
  private record Run(int[] in, int[] out) {}

  /**
   * {@code Reshape(Transpose(x, p), s)} as {@code Transpose(Reshape(x, s'), p')} (no Transpose when
   * {@code p'} is the identity) when the Transpose feeds only the Reshape and keeps every run's
   * source axes together and in order.
   */
  boolean pushBelow(NodeDef.Builder reshape) {
    List<String> in = GraphEdit.dataInputs(reshape);
    NodeDef.Builder t = g.producer(in.get(0));
    if (t == null || !t.getOp().equals("Transpose") || GraphEdit.outputIndex(in.get(0)) != 0
        || pinned.contains(t.getName()) || g.uses(t.getName()) != 1) {
      return false;
    }
    long[] perm = g.constInts(t.getInput(1)).orElse(null);
    long[] transposed = dims.of(t.getName());
    long[] source = transposed != null && perm != null && transposed.length == perm.length
        ? TransposePass.unpermute(transposed, perm) : dims.of(t.getInput(0));
    long[] target = dims.of(reshape.getName());
    List<Run> runs = perm == null || source == null || source.length != perm.length ? null
        : runs(TransposePass.permute(source, perm), target);
    if (runs == null) {
      return false;
    }
    int[] rank = nonOneRanks(source);
    for (Run r : runs) {
      for (int k = 1; k < r.in.length; k++) {
        if (rank[(int) perm[r.in[k]]] != rank[(int) perm[r.in[0]]] + k) {
          return false;
        }
      }
    }
    // The source holds the runs in the order of their first source axis.
    List<Run> bySource = new ArrayList<>(runs);
    bySource.sort(Comparator.comparingInt(r -> rank[(int) perm[r.in[0]]]));
    int[] order = withOnes(bySource.stream().flatMapToInt(r -> Arrays.stream(r.out)).toArray(), target);
    DataType type = reshape.getAttrOrThrow("T").getType();
    String result = reshape(reshape.getName() + "/split", t.getInput(0), gather(target, order), type);
    long[] newPerm = positions(order);
    if (!identity(newPerm)) {
      result = g.transpose(reshape.getName() + "/Transpose", result, type, newPerm);
    }
    g.rewire(reshape.getName(), result);
    dims.changed(reshape.getName());
    return true;
  }

  /**
   * {@code Transpose(Reshape(y, s), q)} as {@code Reshape(Transpose(y, q'), s[q])} when the Reshape
   * feeds only the Transpose, {@code q} keeps every run's output axes together and in order, and
   * either {@code q'} is the identity or {@code y} comes from a Transpose, with which the moved one
   * then merges.
   */
  boolean pullAbove(NodeDef.Builder transpose) {
    NodeDef.Builder r = g.producer(transpose.getInput(0));
    if (r == null || !r.getOp().equals("Reshape") || GraphEdit.outputIndex(transpose.getInput(0)) != 0
        || pinned.contains(r.getName()) || g.uses(r.getName()) != 1) {
      return false;
    }
    String y = GraphEdit.dataInputs(r).get(0);
    long[] q = g.constInts(transpose.getInput(1)).orElse(null);
    long[] from = dims.of(y);
    long[] shape = dims.of(r.getName());
    List<Run> runs = q == null || from == null || shape == null || shape.length != q.length ? null : runs(from, shape);
    if (runs == null) {
      return false;
    }
    long[] out = TransposePass.permute(shape, q);
    int[] rank = nonOneRanks(out);
    long[] position = positions(Arrays.stream(q).mapToInt(v -> (int) v).toArray());
    for (Run run : runs) {
      for (int k = 1; k < run.out.length; k++) {
        if (rank[(int) position[run.out[k]]] != rank[(int) position[run.out[0]]] + k) {
          return false;
        }
      }
    }
    List<Run> byOutput = new ArrayList<>(runs);
    byOutput.sort(Comparator.comparingInt(run -> rank[(int) position[run.out[0]]]));
    long[] newPerm = Arrays.stream(withOnes(byOutput.stream().flatMapToInt(run -> Arrays.stream(run.in)).toArray(), from))
        .asLongStream().toArray();
    NodeDef.Builder before = g.producer(y);
    if (!identity(newPerm) && (before == null || !before.getOp().equals("Transpose"))) {
      return false;
    }
    DataType type = transpose.getAttrOrThrow("T").getType();
    String moved = identity(newPerm) ? y : g.transpose(transpose.getName() + "/pulled", y, type, newPerm);
    g.rewire(transpose.getName(), reshape(transpose.getName() + "/Reshape", moved, out, type));
    dims.changed(transpose.getName());
    return true;
  }

  /** For each axis, its index among the axes longer than 1 (-1 for an axis of length 1). */
  private static int[] nonOneRanks(long[] dims) {
    int[] rank = new int[dims.length];
    int k = 0;
    for (int i = 0; i < dims.length; i++) {
      rank[i] = dims[i] == 1 ? -1 : k++;
    }
    return rank;
  }

  /** {@code order} (axes longer than 1) with each axis of length 1 of {@code dims} put right after the axis before it. */
  private static int[] withOnes(int[] order, long[] dims) {
    List<Integer> all = new ArrayList<>();
    Arrays.stream(order).forEach(all::add);
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] == 1) {
        all.add(i == 0 ? 0 : all.indexOf(i - 1) + 1, i);
      }
    }
    return all.stream().mapToInt(Integer::intValue).toArray();
  }

  /** {@code p} such that {@code order[p[i]] == i}. */
  private static long[] positions(int[] order) {
    long[] p = new long[order.length];
    for (int i = 0; i < order.length; i++) {
      p[order[i]] = i;
    }
    return p;
  }

  private static long[] gather(long[] dims, int[] order) {
    return Arrays.stream(order).mapToLong(i -> dims[i]).toArray();
  }

  private static boolean identity(long[] perm) {
    for (int i = 0; i < perm.length; i++) {
      if (perm[i] != i) {
        return false;
      }
    }
    return true;
  }

  private String reshape(String hint, String x, long[] shape, DataType type) {
    String s = g.constant(hint + "/shape", DataType.DT_INT64, new long[] {shape.length}, shape);
    return g.add(NodeDef.newBuilder().setOp("Reshape").setName(hint).addInput(x).addInput(s)
        .putAttr("T", GraphEdit.type(type)).putAttr("Tshape", GraphEdit.type(DataType.DT_INT64)));
  }

  /**
   * The runs pairing the axes longer than 1 of {@code a} with those of {@code b}; null when the
   * dims are not all known and positive or the element counts do not pair up.
   */
  static List<Run> runs(long[] a, long[] b) {
    if (a == null || b == null || Arrays.stream(a).anyMatch(d -> d <= 0) || Arrays.stream(b).anyMatch(d -> d <= 0)) {
      return null;
    }
    int[] ia = IntStream.range(0, a.length).filter(i -> a[i] != 1).toArray();
    int[] ib = IntStream.range(0, b.length).filter(j -> b[j] != 1).toArray();
    List<Run> out = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < ia.length && j < ib.length) {
      int i0 = i;
      int j0 = j;
      long pa = a[ia[i++]];
      long pb = b[ib[j++]];
      while (pa != pb) {
        if (pa < pb && i < ia.length) {
          pa *= a[ia[i++]];
        } else if (pb < pa && j < ib.length) {
          pb *= b[ib[j++]];
        } else {
          return null;
        }
      }
      out.add(new Run(Arrays.copyOfRange(ia, i0, i), Arrays.copyOfRange(ib, j0, j)));
    }
    return i < ia.length || j < ib.length ? null : out;
  }
}
