package dev.modelbridge.infer;

import dev.modelbridge.ir.Dim;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Helpers on lists of dims: broadcasting, axes, products. */
final class Dims {
  private Dims() {}

  static Dim fixed(long n) {
    return Dim.of(n);
  }

  static Dim unknown() {
    return Dim.unknown();
  }

  static List<Dim> unknowns(int rank) {
    List<Dim> out = new ArrayList<>();
    for (int i = 0; i < rank; i++) {
      out.add(Dim.unknown());
    }
    return out;
  }

  static boolean isFixed(Dim d, long n) {
    return d instanceof Dim.Fixed f && f.size() == n;
  }

  static Optional<Long> size(Dim d) {
    return d instanceof Dim.Fixed f ? Optional.of(f.size()) : Optional.empty();
  }

  /** Normalises a possibly negative axis; throws when out of range (the handler then gives up). */
  static int axis(long axis, int rank) {
    long a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) {
      throw new IllegalArgumentException("axis " + axis + " out of range for rank " + rank);
    }
    return (int) a;
  }

  /**
   * Numpy-style multidirectional broadcasting of the given shapes, or empty with {@code conflict}
   * set to the first dimension where two fixed sizes other than 1 meet.
   */
  static Optional<List<Dim>> broadcast(List<List<Dim>> shapes, int[] conflict) {
    int rank = 0;
    for (List<Dim> s : shapes) {
      rank = Math.max(rank, s.size());
    }
    List<Dim> out = new ArrayList<>();
    for (int i = 0; i < rank; i++) {
      List<Dim> here = new ArrayList<>();
      for (List<Dim> s : shapes) {
        int j = i - (rank - s.size());
        if (j >= 0) {
          here.add(s.get(j));
        }
      }
      Dim d = broadcastOne(here);
      if (d == null) {
        conflict[0] = i;
        return Optional.empty();
      }
      out.add(d);
    }
    return Optional.of(out);
  }

  private static Dim broadcastOne(List<Dim> dims) {
    Dim big = null;
    for (Dim d : dims) {
      if (d instanceof Dim.Fixed f && f.size() != 1) {
        if (big != null && ((Dim.Fixed) big).size() != f.size()) {
          return null;
        }
        big = d;
      }
    }
    if (big != null) {
      return Dim.of(((Dim.Fixed) big).size());
    }
    Dim other = null;
    for (Dim d : dims) {
      if (d instanceof Dim.Fixed) {
        continue;
      }
      if (other == null) {
        other = d;
      } else if (!(other instanceof Dim.Symbolic a && d instanceof Dim.Symbolic b
          && a.name().equals(b.name()))) {
        return Dim.unknown();
      }
    }
    return other == null ? Dim.of(1) : other;
  }

  /** The product of the dims when all are fixed. */
  static Optional<Long> product(List<Dim> dims) {
    long n = 1;
    for (Dim d : dims) {
      if (!(d instanceof Dim.Fixed f)) {
        return Optional.empty();
      }
      n = Math.multiplyExact(n, f.size());
    }
    return Optional.of(n);
  }

  /** {@code a op b} when both are fixed, else unknown. */
  static Dim apply(Dim a, Dim b, java.util.function.LongBinaryOperator op) {
    if (a instanceof Dim.Fixed fa && b instanceof Dim.Fixed fb) {
      return Dim.of(op.applyAsLong(fa.size(), fb.size()));
    }
    return Dim.unknown();
  }
}
