package dev.modelbridge.infer;

import dev.modelbridge.ir.Dim;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Shape;
import dev.modelbridge.ir.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Merging and comparing inferred and declared types. */
public final class Types {
  private Types() {}

  static Type.TensorType tensor(ElementType e, List<Dim> dims) {
    return new Type.TensorType(e, Optional.of(new Shape(dims)), "");
  }

  static Type.TensorType tensor(ElementType e, Optional<Shape> shape) {
    return new Type.TensorType(e, shape, "");
  }

  /**
   * The type a value has once its inferred type meets its declaration: what inference knows, and
   * the declaration where inference knows nothing (symbolic declared dims are kept). Where the two
   * contradict, inference wins; the rules report the contradiction.
   */
  public static Optional<Type> merge(Optional<Type> inferred, Optional<Type> declared) {
    if (inferred.isEmpty()) {
      return declared;
    }
    if (declared.isEmpty()) {
      return inferred;
    }
    if (inferred.get() instanceof Type.TensorType it && declared.get() instanceof Type.TensorType dt) {
      ElementType e = it.elementType() == ElementType.UNDEFINED ? dt.elementType() : it.elementType();
      Optional<Shape> shape;
      if (it.shape().isEmpty()) {
        shape = dt.shape();
      } else if (dt.shape().isEmpty() || dt.shape().get().rank() != it.shape().get().rank()) {
        shape = it.shape();
      } else {
        List<Dim> dims = new ArrayList<>();
        for (int i = 0; i < it.shape().get().rank(); i++) {
          dims.add(preferKnown(it.shape().get().dims().get(i), dt.shape().get().dims().get(i)));
        }
        shape = Optional.of(new Shape(dims));
      }
      return Optional.of(new Type.TensorType(e, shape, dt.denotation()));
    }
    if (inferred.get() instanceof Type.SequenceType st && st.elementType().isEmpty()) {
      return declared;
    }
    return inferred;
  }

  /** {@code a} unless it is unknown, or symbolic where {@code b} is fixed or symbolic. */
  static Dim preferKnown(Dim a, Dim b) {
    if (a instanceof Dim.Fixed) {
      return a;
    }
    if (b instanceof Dim.Fixed || b instanceof Dim.Symbolic) {
      return b;
    }
    return a;
  }

  /** Unifies two dims known to be equal: a fixed size wins, then a symbol. */
  static Dim unify(Dim a, Dim b) {
    if (a instanceof Dim.Fixed) {
      return a;
    }
    if (b instanceof Dim.Fixed) {
      return b;
    }
    return a instanceof Dim.Symbolic ? a : b;
  }

  /** Two dims that cannot be equal: two different fixed sizes. */
  static boolean differ(Dim a, Dim b) {
    return a instanceof Dim.Fixed fa && b instanceof Dim.Fixed fb && fa.size() != fb.size();
  }

  /** Why a declared tensor element type contradicts the inferred one, or empty. */
  public static Optional<String> elementMismatch(Type inferred, Type declared) {
    if (inferred instanceof Type.TensorType it && declared instanceof Type.TensorType dt
        && it.elementType() != ElementType.UNDEFINED && dt.elementType() != ElementType.UNDEFINED
        && it.elementType() != dt.elementType()) {
      return Optional.of("declared as " + dt.elementType().label() + " but inferred as "
          + it.elementType().label());
    }
    return Optional.empty();
  }

  /** Why a declared tensor shape contradicts the inferred one (rank, or two fixed sizes), or empty. */
  public static Optional<String> shapeMismatch(Type inferred, Type declared) {
    if (!(inferred instanceof Type.TensorType it) || !(declared instanceof Type.TensorType dt)
        || it.shape().isEmpty() || dt.shape().isEmpty()) {
      return Optional.empty();
    }
    Shape is = it.shape().get();
    Shape ds = dt.shape().get();
    if (is.rank() != ds.rank()) {
      return Optional.of("declared with rank " + ds.rank() + " " + ds + " but inferred with rank "
          + is.rank() + " " + is);
    }
    for (int i = 0; i < is.rank(); i++) {
      if (differ(is.dims().get(i), ds.dims().get(i))) {
        return Optional.of("declared with shape " + ds + " but inferred as " + is + " (dimension " + i
            + ")");
      }
    }
    return Optional.empty();
  }

  /**
   * A declared symbolic dimension that inference proves fixed: the model promises a dynamic size
   * (a batch, say) that its graph cannot take. Reported only under a strict policy.
   */
  public static Optional<String> symbolicButFixed(Type inferred, Type declared) {
    if (!(inferred instanceof Type.TensorType it) || !(declared instanceof Type.TensorType dt)
        || it.shape().isEmpty() || dt.shape().isEmpty() || it.shape().get().rank() != dt.shape().get().rank()) {
      return Optional.empty();
    }
    for (int i = 0; i < it.shape().get().rank(); i++) {
      if (dt.shape().get().dims().get(i) instanceof dev.modelbridge.ir.Dim.Symbolic sym
          && it.shape().get().dims().get(i) instanceof dev.modelbridge.ir.Dim.Fixed fixed) {
        return Optional.of("declared dynamic in dimension " + i + " ('" + sym.name()
            + "') but the graph computes a fixed size " + fixed.size());
      }
    }
    return Optional.empty();
  }
}
