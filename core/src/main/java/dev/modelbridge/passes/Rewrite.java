package dev.modelbridge.passes;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.ValueInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the passes share: which values are used how often (nested graphs and graph outputs count
 * as uses that must keep their name), fresh names, Transpose permutations and transposed
 * constants.
 */
final class Rewrite {
  final Graph graph;
  final Map<String, Node> producers = new HashMap<>();
  final Map<String, Tensor> initializers = new HashMap<>();
  private final Map<String, Integer> uses = new HashMap<>();
  private final Set<String> pinned = new HashSet<>(); // graph outputs and names read by nested graphs
  private final Set<String> names = new HashSet<>();
  private final Set<String> graphInputs = new HashSet<>();

  Rewrite(Graph graph) {
    this.graph = graph;
    graph.inputs().forEach(v -> {
      names.add(v.name());
      graphInputs.add(v.name());
    });
    graph.initializers().forEach(t -> {
      names.add(t.name());
      initializers.put(t.name(), t);
    });
    for (Node n : graph.nodes()) {
      n.inputs().forEach(i -> uses.merge(i, 1, Integer::sum));
      n.outputs().forEach(o -> {
        names.add(o);
        producers.put(o, n);
      });
      names.add(n.name());
      n.subgraphs().forEach(this::pinNested);
    }
    for (ValueInfo o : graph.outputs()) {
      pinned.add(o.name());
      uses.merge(o.name(), 1, Integer::sum);
    }
  }

  private void pinNested(Graph g) {
    for (Node n : g.nodes()) {
      pinned.addAll(n.inputs());
      n.subgraphs().forEach(this::pinNested);
    }
    g.outputs().forEach(o -> pinned.add(o.name()));
  }

  int uses(String value) {
    return uses.getOrDefault(value, 0);
  }

  /** Read by exactly one node input and nothing else. */
  boolean singleUse(String value) {
    return uses(value) == 1 && !pinned.contains(value);
  }

  boolean pinned(String value) {
    return pinned.contains(value);
  }

  /** A constant: an initializer that no graph input overrides. */
  Optional<Tensor> constant(String value) {
    return graphInputs.contains(value) ? Optional.empty() : Optional.ofNullable(initializers.get(value));
  }

  /** {@code base}, or {@code base_1}... so that it names nothing else in the graph. */
  String fresh(String base) {
    String name = base;
    for (int i = 1; !names.add(name); i++) {
      name = base + "_" + i;
    }
    return name;
  }

  /** The producer of {@code value} when it is a Transpose with an explicit permutation. */
  Optional<Node> transposeOf(String value) {
    Node p = producers.get(value);
    return p != null && isTranspose(p) ? Optional.of(p) : Optional.empty();
  }

  static boolean isTranspose(Node n) {
    return n.opType().equals("Transpose") && n.domain().isEmpty() && perm(n).isPresent();
  }

  static Optional<long[]> perm(Node n) {
    return n.attribute("perm").filter(a -> a instanceof Attribute.IntsAttr)
        .map(a -> ((Attribute.IntsAttr) a).values().stream().mapToLong(Long::longValue).toArray());
  }

  static Node transpose(String name, String in, String out, long[] perm) {
    return Node.builder("Transpose").name(name).inputs(in).outputs(out).attribute(Attribute.ints("perm", perm)).build();
  }

  static long[] inverse(long[] perm) {
    long[] inv = new long[perm.length];
    for (int i = 0; i < perm.length; i++) {
      inv[(int) perm[i]] = i;
    }
    return inv;
  }

  static boolean isIdentity(long[] perm) {
    for (int i = 0; i < perm.length; i++) {
      if (perm[i] != i) {
        return false;
      }
    }
    return true;
  }

  /** The constant {@code t} transposed by {@code perm} (its rank raised with leading 1s first). */
  static Tensor transposed(Tensor t, long[] perm, String name) {
    int rank = perm.length;
    long[] dims = new long[rank];
    int pad = rank - t.rank();
    for (int i = 0; i < rank; i++) {
      dims[i] = i < pad ? 1 : t.dims()[i - pad];
    }
    long[] outDims = new long[rank];
    for (int i = 0; i < rank; i++) {
      outDims[i] = dims[(int) perm[i]];
    }
    int size = t.elementType().bits() / 8;
    ByteBuffer in = t.data().bytes();
    int count = (int) t.elementCount();
    ByteBuffer out = ByteBuffer.allocate(count * size).order(ByteOrder.LITTLE_ENDIAN);
    long[] inStrides = strides(dims);
    long[] idx = new long[rank];
    byte[] element = new byte[size];
    for (int o = 0; o < count; o++) {
      long src = 0;
      for (int i = 0; i < rank; i++) {
        src += idx[i] * inStrides[(int) perm[i]];
      }
      in.get((int) (src * size), element);
      out.put(element);
      for (int i = rank - 1; i >= 0 && ++idx[i] == outDims[i]; i--) {
        idx[i] = 0;
      }
    }
    return Tensor.of(name, t.elementType(), outDims, out.flip());
  }

  /** Whether {@link #transposed} can rewrite {@code t}: fixed-width elements, rank at most {@code rank}, not huge. */
  static boolean transposable(Tensor t, int rank, long maxBytes) {
    return t.elementType().bits() >= 8 && t.rank() <= rank && t.data().byteSize() <= maxBytes;
  }

  private static long[] strides(long[] dims) {
    long[] s = new long[dims.length];
    long acc = 1;
    for (int i = dims.length - 1; i >= 0; i--) {
      s[i] = acc;
      acc *= dims[i];
    }
    return s;
  }

  /** The graph with {@code nodes}, {@code extra} initializers added. */
  Graph with(List<Node> nodes, List<Tensor> extra) {
    Graph.Builder b = graph.toBuilder().clearNodes().nodes(nodes);
    extra.forEach(b::initializer);
    return b.build();
  }

  static List<String> replaced(List<String> inputs, Map<String, String> renames) {
    List<String> out = new ArrayList<>(inputs.size());
    inputs.forEach(i -> out.add(renames.getOrDefault(i, i)));
    return out;
  }
}
