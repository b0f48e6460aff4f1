package dev.modelbridge.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/** The shape of a tensor type: its rank and the dimensions, each fixed, symbolic or unknown. */
public record Shape(List<Dim> dims) {

  public Shape {
    dims = List.copyOf(dims);
  }

  /** A shape of fixed sizes. */
  public static Shape of(long... sizes) {
    List<Dim> dims = new ArrayList<>(sizes.length);
    for (long s : sizes) {
      dims.add(Dim.of(s));
    }
    return new Shape(dims);
  }

  /** A shape from a mix of {@code Long} or {@code Integer} sizes and {@code String} symbols; null is unknown. */
  public static Shape ofMixed(Object... dims) {
    List<Dim> out = new ArrayList<>(dims.length);
    for (Object d : dims) {
      if (d == null) {
        out.add(Dim.unknown());
      } else if (d instanceof Number n) {
        out.add(Dim.of(n.longValue()));
      } else {
        out.add(Dim.of(d.toString()));
      }
    }
    return new Shape(out);
  }

  public int rank() {
    return dims.size();
  }

  /** The element count when every dimension is fixed. */
  public OptionalLong elementCount() {
    long n = 1;
    for (Dim d : dims) {
      if (!(d instanceof Dim.Fixed f)) {
        return OptionalLong.empty();
      }
      n = Math.multiplyExact(n, f.size());
    }
    return OptionalLong.of(n);
  }

  @Override
  public String toString() {
    return dims.stream().map(Object::toString).collect(Collectors.joining(",", "[", "]"));
  }
}
