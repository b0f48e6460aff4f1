package dev.modelbridge.e2e.support;

import java.util.Arrays;
import java.util.Optional;

/**
 * Compares a computed tensor with a reference one: same shape, same element type, values equal
 * exactly for integers, bools and strings, and within {@code |a - b| <= abs + rel * |b|} for floats
 * (b being the reference), after widening float16/bfloat16/float8 to double.
 */
public final class TensorComparator {

  /** The tolerance for floating values. */
  public record Tolerance(double absolute, double relative) {
    /** 1e-4 absolute plus 1e-3 relative: loose enough for reordered float sums, tight enough to catch wrong ops. */
    public static final Tolerance DEFAULT = new Tolerance(1e-4, 1e-3);

    public boolean close(double actual, double expected) {
      if (Double.isNaN(expected) || Double.isNaN(actual)) {
        return Double.isNaN(expected) && Double.isNaN(actual);
      }
      if (Double.isInfinite(expected) || Double.isInfinite(actual)) {
        // Only the same infinity matches; the formula would accept anything against an infinite bound.
        return expected == actual;
      }
      return Math.abs(actual - expected) <= absolute + relative * Math.abs(expected);
    }
  }

  /**
   * The first difference found.
   *
   * @param output the output name
   * @param index the flat (row-major) element index, or -1 when shape or type differ
   * @param expected the reference value (or shape/type)
   * @param actual the computed value (or shape/type)
   */
  public record Mismatch(String output, long index, String expected, String actual) {
    public String message() {
      return index < 0
          ? "output " + output + ": expected " + expected + ", got " + actual
          : "output " + output + " at [" + index + "]: expected " + expected + ", got " + actual;
    }

    @Override
    public String toString() {
      return message();
    }
  }

  private TensorComparator() {}

  public static Optional<Mismatch> compare(String output, TensorValue expected, TensorValue actual) {
    return compare(output, expected, actual, Tolerance.DEFAULT);
  }

  public static Optional<Mismatch> compare(String output, TensorValue expected, TensorValue actual, Tolerance tol) {
    if (expected.dataType() != actual.dataType()) {
      return Optional.of(new Mismatch(output, -1,
          "type " + ElementType.name(expected.dataType()), "type " + ElementType.name(actual.dataType())));
    }
    if (!Arrays.equals(expected.shape(), actual.shape())) {
      return Optional.of(new Mismatch(output, -1,
          "shape " + Arrays.toString(expected.shape()), "shape " + Arrays.toString(actual.shape())));
    }
    if (expected.size() != actual.size()) {
      return Optional.of(new Mismatch(output, -1,
          expected.size() + " elements", actual.size() + " elements"));
    }
    ElementType.Kind kind = ElementType.kind(expected.dataType());
    for (long i = 0, n = expected.size(); i < n; i++) {
      boolean same = switch (kind) {
        case FLOATING -> tol.close(actual.getDouble(i), expected.getDouble(i));
        case INTEGRAL -> actual.getLong(i) == expected.getLong(i);
        case STRING -> actual.getString(i).equals(expected.getString(i));
        case OTHER -> throw new UnsupportedOperationException(
            "cannot compare values of type " + ElementType.name(expected.dataType()));
      };
      if (!same) {
        return Optional.of(new Mismatch(output, i, expected.format(i), actual.format(i)));
      }
    }
    return Optional.empty();
  }
}
