package dev.modelbridge.validate.rules.tensor;

import dev.modelbridge.validate.Rule;
import dev.modelbridge.validate.RuleContext;
import dev.modelbridge.validate.Severity;
import java.util.Arrays;

/**
 * {@code tensor.negative-dim}: a constant tensor (or a sparse tensor's dense shape) with a
 * negative size. The ONNX reader keeps such dims so that this rule can say where they are.
 */
public final class NegativeDimRule implements Rule {

  @Override
  public String id() {
    return "tensor.negative-dim";
  }

  @Override
  public Severity defaultSeverity() {
    return Severity.ERROR;
  }

  @Override
  public String summary() {
    return "A constant tensor has a negative dimension.";
  }

  @Override
  public void check(RuleContext context) {
    TensorSites sites = TensorSites.of(context);
    for (TensorSites.Dense d : sites.dense()) {
      long[] dims = d.tensor().dims();
      for (int i = 0; i < dims.length; i++) {
        if (dims[i] < 0) {
          context.report(d.where(), d.what() + " has dims " + Arrays.toString(dims) + ": dimension " + i
              + " is " + dims[i] + "; tensor dimensions must be 0 or more");
          break;
        }
      }
    }
    for (TensorSites.Sparse s : sites.sparse()) {
      if (s.tensor().dims().stream().anyMatch(v -> v < 0)) {
        context.report(s.where(), s.what() + " has dense shape " + s.tensor().dims()
            + " with a negative dimension; sizes must be positive");
      }
    }
  }
}
