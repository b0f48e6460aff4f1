package dev.modelbridge.validate.rules.tensor;

import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.TensorData;
import dev.modelbridge.validate.Rule;
import dev.modelbridge.validate.RuleContext;
import dev.modelbridge.validate.Severity;
import java.util.Arrays;

/**
 * {@code tensor.data-size}: a tensor's data does not match its dims: the byte count differs from
 * dims x element size (sub-byte types packed, rounded up to a byte), a string tensor holds a
 * different number of strings, the element type is UNDEFINED, or a sparse tensor's values and
 * indices do not fit its dense shape (see {@link SparseLayout}). Tensors with negative dims are
 * left to {@link NegativeDimRule}.
 */
public final class DataSizeRule implements Rule {

  @Override
  public String id() {
    return "tensor.data-size";
  }

  @Override
  public Severity defaultSeverity() {
    return Severity.ERROR;
  }

  @Override
  public String summary() {
    return "A tensor's data does not match its dims and element type (byte count, string count,"
        + " sparse layout).";
  }

  @Override
  public void check(RuleContext context) {
    TensorSites sites = TensorSites.of(context);
    for (TensorSites.Dense d : sites.dense()) {
      String problem = problem(d.tensor());
      if (problem != null) {
        context.report(d.where(), d.what() + " " + problem);
      }
    }
    for (TensorSites.Sparse s : sites.sparse()) {
      String problem = SparseLayout.problem(s.tensor());
      if (problem != null) {
        context.report(s.where(), s.what() + " " + problem);
      }
    }
  }

  /** What is wrong with the size of {@code t}'s data, or null when nothing is. */
  static String problem(Tensor t) {
    long[] dims = t.dims();
    if (Arrays.stream(dims).anyMatch(d -> d < 0)) {
      return null;
    }
    if (t.elementType() == ElementType.UNDEFINED) {
      return "has element type UNDEFINED; a tensor needs a concrete element type";
    }
    long count;
    try {
      count = t.elementCount();
    } catch (ArithmeticException e) {
      return "has dims " + Arrays.toString(dims) + " whose element count overflows 64 bits";
    }
    TensorData data = t.data();
    if (t.elementType() == ElementType.STRING) {
      if (!(data instanceof TensorData.StringList strings)) {
        return "is a string tensor without a list of strings";
      }
      long held = strings.strings().size();
      return held == count ? null : "holds " + held + (held == 1 ? " string" : " strings") + "; dims " + Arrays.toString(dims)
          + " call for " + count;
    }
    if (data instanceof TensorData.StringList s) {
      return "holds " + s.strings().size() + " strings, but its element type is " + t.elementType();
    }
    long expected;
    try {
      expected = t.expectedByteSize();
    } catch (ArithmeticException e) {
      return "has dims " + Arrays.toString(dims) + " whose byte size overflows 64 bits";
    }
    long actual = data.byteSize();
    if (actual == expected) {
      return null;
    }
    return "holds " + actual + " bytes" + values(t.elementType(), actual) + "; dims "
        + Arrays.toString(dims) + " of " + t.elementType() + " call for " + expected + " bytes"
        + values(t.elementType(), expected);
  }

  private static String values(ElementType type, long bytes) {
    int bits = type.bits();
    if (bits < 8 || (bytes * 8) % bits != 0) {
      return "";
    }
    long n = bytes * 8 / bits;
    return " (" + n + (n == 1 ? " value)" : " values)");
  }
}
