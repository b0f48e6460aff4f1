package dev.modelbridge.infer;

import dev.modelbridge.ir.Dim;
import java.util.List;
import java.util.Optional;

/**
 * What is known of the value of a small integer tensor of rank 0 or 1: each element fixed,
 * symbolic (a dimension read by {@code Shape}) or unknown. Shape-carrying inputs (the shape of a
 * {@code Reshape}, the axes of {@code Unsqueeze}) are read from it.
 *
 * @param values the elements, in order
 * @param scalar whether the tensor has rank 0 (then {@code values} has one element)
 */
public record IntData(List<Dim> values, boolean scalar) {
  public IntData {
    values = List.copyOf(values);
  }

  /** A rank-1 tensor of fixed values. */
  public static IntData of(long... values) {
    return new IntData(java.util.Arrays.stream(values).mapToObj(Dim::of).toList(), false);
  }

  public int size() {
    return values.size();
  }

  /** The values when every one is fixed. */
  public Optional<long[]> fixed() {
    long[] out = new long[values.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(values.get(i) instanceof Dim.Fixed f)) {
        return Optional.empty();
      }
      out[i] = f.size();
    }
    return Optional.of(out);
  }
}
