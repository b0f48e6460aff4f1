package dev.modelbridge.tensorflow.export;

import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.ValueInfo;
import dev.modelbridge.tensorflow.bundle.BundleValue;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Convolution kernels stored in TensorFlow's layout. TensorFlow convolves with HWIO filters
 * ({@code [kh, kw, C, m]} depthwise) where ONNX stores OIHW; a kernel initializer that only
 * convolutions read becomes a variable saved already permuted (see {@link BundleValue.Permuted}), so
 * that no Transpose sits on its read. A kernel that any other node (or a subgraph, or a graph
 * output) reads keeps the ONNX layout and is transposed in the graph, so that there is one
 * variable per weight.
 */
final class KernelVariables {
  private static final Set<String> KERNEL_READERS = Set.of("Conv", "ConvTranspose");

  /** One stored layout: the permutation from the ONNX layout, the declared dims, and its read. */
  private record Stored(long[] perm, long[] dims, TfRef read) {}

  private final Set<String> kernelOnly = new HashSet<>();
  private final Map<String, Stored> stored = new HashMap<>();

  /** Finds the initializers of {@code graph} that only kernel inputs read. */
  KernelVariables(Graph graph) {
    Set<String> elsewhere = new HashSet<>();
    graph.outputs().stream().map(ValueInfo::name).forEach(elsewhere::add);
    Set<String> asKernel = new HashSet<>();
    for (Node n : graph.nodes()) {
      boolean conv = KERNEL_READERS.contains(n.opType()) && (n.domain().isEmpty() || n.domain().equals("ai.onnx"));
      for (int i = 0; i < n.inputs().size(); i++) {
        (conv && i == 1 ? asKernel : elsewhere).add(n.inputs().get(i));
      }
      n.subgraphs().forEach(s -> readsIn(s, elsewhere));
    }
    for (Tensor t : graph.initializers()) {
      if (asKernel.contains(t.name()) && !elsewhere.contains(t.name())) {
        kernelOnly.add(t.name());
      }
    }
  }

  private static void readsIn(Graph g, Set<String> names) {
    for (Node n : g.nodes()) {
      names.addAll(n.inputs());
      n.subgraphs().forEach(s -> readsIn(s, names));
    }
    g.outputs().forEach(o -> names.add(o.name()));
  }

  /**
   * The read of initializer {@code init} stored permuted by {@code perm} and declared {@code dims},
   * when only kernels read it and it is stored as a variable ({@code newVariable} makes one); empty
   * otherwise. A second request for another layout composes a Transpose from the stored one.
   */
  Optional<TfRef> read(ExportContext c, Tensor init, long[] perm, long[] dims,
      Function<BundleValue.Permuted, TfRef> newVariable) {
    if (!kernelOnly.contains(init.name()) || !BundleValue.Permuted.canPermute(init)) {
      return Optional.empty();
    }
    Stored s = stored.get(init.name());
    if (s == null) {
      int[] p = Arrays.stream(perm).mapToInt(Math::toIntExact).toArray();
      s = new Stored(perm, dims, newVariable.apply(new BundleValue.Permuted(init, p, dims)));
      stored.put(init.name(), s);
    }
    if (Arrays.equals(s.perm, perm) && Arrays.equals(s.dims, dims)) {
      return Optional.of(s.read);
    }
    // Another layout of the same kernel (say a dilated and an undilated grouped Conv): from the stored one.
    TfRef r = viewed(c, s.read, s.dims, permuted(init.dims(), s.perm));
    long[] inverse = NnOps.inverse(s.perm);
    long[] q = new long[perm.length];
    for (int i = 0; i < perm.length; i++) {
      q[i] = inverse[(int) perm[i]];
    }
    return Optional.of(viewed(c, c.transpose(r, q), permuted(init.dims(), perm), dims));
  }

  /** {@code dims} permuted: axis {@code i} of the result is axis {@code perm[i]}. */
  static long[] permuted(long[] dims, long[] perm) {
    long[] out = new long[perm.length];
    for (int i = 0; i < perm.length; i++) {
      out[i] = dims[(int) perm[i]];
    }
    return out;
  }

  /** {@code x} of dims {@code have} reshaped to {@code want} when they differ. */
  static TfRef viewed(ExportContext c, TfRef x, long[] have, long[] want) {
    return Arrays.equals(have, want) ? x : c.reshape(x, c.g().int64s(c.hint() + "/kernel_shape", want));
  }
}
