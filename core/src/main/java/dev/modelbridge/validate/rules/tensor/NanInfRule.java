package dev.modelbridge.validate.rules.tensor;

import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.validate.Rule;
import dev.modelbridge.validate.RuleContext;
import dev.modelbridge.validate.Severity;

/**
 * {@code tensor.nan-inf}: NaN or infinite values in the weights (float, double, float16,
 * bfloat16), usually a sign of a diverged training run or a broken export. Each tensor is read
 * once, as a stream of windows ({@link FloatScan}), so large external weights are never held on
 * the heap.
 */
public final class NanInfRule implements Rule {

  @Override
  public String id() {
    return "tensor.nan-inf";
  }

  @Override
  public Severity defaultSeverity() {
    return Severity.WARNING;
  }

  @Override
  public String summary() {
    return "A float tensor holds NaN or infinite values.";
  }

  @Override
  public void check(RuleContext context) {
    for (TensorSites.Dense d : TensorSites.of(context).dense()) {
      Tensor t = d.tensor();
      if (!scanned(t.elementType()) || DataSizeRule.problem(t) != null || t.data().byteSize() == 0) {
        continue;
      }
      FloatScan.Result r = FloatScan.scan(t.elementType(), t.data());
      if (r.nan() + r.inf() > 0) {
        context.report(d.where(), d.what() + " (" + t.elementType() + ") holds " + describe(r)
            + " (first at element " + r.first() + "); weights are expected to be finite");
      }
    }
  }

  private static String describe(FloatScan.Result r) {
    if (r.nan() > 0 && r.inf() > 0) {
      return plural(r.nan(), "NaN") + " and " + plural(r.inf(), "infinite value");
    }
    return r.nan() > 0 ? plural(r.nan(), "NaN value") : plural(r.inf(), "infinite value");
  }

  private static String plural(long n, String what) {
    return n + " " + what + (n == 1 || what.equals("NaN") ? "" : "s");
  }

  private static boolean scanned(ElementType type) {
    return type == ElementType.FLOAT || type == ElementType.DOUBLE || type == ElementType.FLOAT16
        || type == ElementType.BFLOAT16;
  }
}
