package dev.modelbridge.validate;

import dev.modelbridge.ir.Model;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs rules over an in-memory model, for rule tests (RuleContext is not public to build). */
public final class OpRuleHarness {
  private OpRuleHarness() {}

  /** The findings of {@code rules} on {@code model}, as if read from {@code model.onnx}. */
  public static List<Finding> run(Model model, List<Rule> rules) {
    List<Finding> findings = new ArrayList<>();
    RuleContext ctx = new RuleContext(model, Path.of("model.onnx"), Policy.defaults(), findings);
    for (Rule r : rules) {
      ctx.runningRule(r);
      r.check(ctx);
    }
    return findings;
  }
}
