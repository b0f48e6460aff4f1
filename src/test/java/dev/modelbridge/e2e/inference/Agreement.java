package dev.modelbridge.e2e.inference;

import dev.modelbridge.ir.Dim;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Counts how ModelBridge's inferred types compare with ONNX's: element type, rank and fixed sizes
 * (symbols are names only and are not compared).
 */
final class Agreement {
  int compared;
  int agreeing;
  int weKnowMore;
  int theyKnowMore;
  final List<String> disagreements = new ArrayList<>();
  /** One line per value where one side knows more, for the report file. */
  final List<String> differences = new ArrayList<>();

  /** ONNX's type text ({@code code:dims}, {@code code:*}, or {@code -}) as a tensor type. */
  static Optional<Type.TensorType> parse(String text) {
    if (text.equals("-")) {
      return Optional.empty();
    }
    int colon = text.indexOf(':');
    ElementType e = ElementType.fromCode(Integer.parseInt(text.substring(0, colon))).orElse(ElementType.UNDEFINED);
    String dims = text.substring(colon + 1);
    if (dims.equals("*")) {
      return Optional.of(Type.tensorOfUnknownRank(e));
    }
    List<Object> parts = new ArrayList<>();
    if (!dims.isEmpty()) {
      for (String d : dims.split(",", -1)) {
        parts.add(d.equals("?") ? null : d.startsWith("$") ? d.substring(1) : (Object) Long.parseLong(d));
      }
    }
    return Optional.of(Type.tensor(e, dev.modelbridge.ir.Shape.ofMixed(parts.toArray())));
  }

  /** Compares one value; {@code ours} or {@code theirs} may be unknown. */
  void compare(String where, Optional<Type> ours, Optional<Type.TensorType> theirs) {
    Optional<Type.TensorType> us = ours.filter(Type.TensorType.class::isInstance).map(Type.TensorType.class::cast);
    if (us.isEmpty() && theirs.isEmpty()) {
      return;
    }
    compared++;
    Facts a = Facts.of(us);
    Facts b = Facts.of(theirs);
    String conflict = a.conflict(b);
    if (conflict != null) {
      disagreements.add(where + ": ours " + us.map(Object::toString).orElse("?") + ", ONNX "
          + theirs.map(Object::toString).orElse("?") + " (" + conflict + ")");
      return;
    }
    boolean more = a.knowsMoreThan(b);
    boolean less = b.knowsMoreThan(a);
    if (more) {
      weKnowMore++;
    }
    if (less) {
      theyKnowMore++;
    }
    if (!more && !less) {
      agreeing++;
    } else {
      differences.add((more ? "we know more" : "") + (more && less ? ", " : "") + (less ? "ONNX knows more" : "")
          + ": " + where + ": ours " + us.map(Object::toString).orElse("?") + ", ONNX "
          + theirs.map(Object::toString).orElse("?"));
    }
  }

  /** What a type says: element type, rank, fixed sizes. */
  private record Facts(ElementType elem, int rank, List<Long> sizes) {
    static Facts of(Optional<Type.TensorType> t) {
      if (t.isEmpty()) {
        return new Facts(ElementType.UNDEFINED, -1, List.of());
      }
      int rank = t.get().shape().map(s -> s.rank()).orElse(-1);
      List<Long> sizes = new ArrayList<>();
      t.get().shape().ifPresent(s -> s.dims().forEach(d -> sizes.add(d instanceof Dim.Fixed f ? f.size() : null)));
      return new Facts(t.get().elementType(), rank, sizes);
    }

    String conflict(Facts o) {
      if (elem != ElementType.UNDEFINED && o.elem != ElementType.UNDEFINED && elem != o.elem) {
        return "element type";
      }
      if (rank >= 0 && o.rank >= 0 && rank != o.rank) {
        return "rank";
      }
      for (int i = 0; rank >= 0 && o.rank >= 0 && i < rank; i++) {
        if (sizes.get(i) != null && o.sizes.get(i) != null && !sizes.get(i).equals(o.sizes.get(i))) {
          return "dimension " + i;
        }
      }
      return null;
    }

    boolean knowsMoreThan(Facts o) {
      if (elem != ElementType.UNDEFINED && o.elem == ElementType.UNDEFINED) {
        return true;
      }
      if (rank >= 0 && o.rank < 0) {
        return true;
      }
      for (int i = 0; rank >= 0 && i < rank && o.rank == rank; i++) {
        if (sizes.get(i) != null && o.sizes.get(i) == null) {
          return true;
        }
      }
      return false;
    }
  }

  @Override
  public String toString() {
    return "values compared " + compared + ", agreeing " + agreeing + ", we know more " + weKnowMore
        + ", ONNX knows more " + theyKnowMore + ", disagreements " + disagreements.size();
  }
}
