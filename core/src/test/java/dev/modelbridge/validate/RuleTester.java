package dev.modelbridge.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelbridge.ir.Model;
import dev.modelbridge.text.TextFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs rules over an in-memory model, as the validator would after reading a file named {@code m.onnx}. */
public final class RuleTester {
  /** The file name findings carry. */
  public static final String FILE = "m.onnx";

  private RuleTester() {}

  /** The findings of {@code rules} on {@code model}. */
  public static List<Finding> run(Model model, List<Rule> rules) {
    List<Finding> findings = new ArrayList<>();
    RuleContext ctx = new RuleContext(model, Path.of(FILE), Policy.defaults(), findings);
    for (Rule r : rules) {
      ctx.runningRule(r);
      r.check(ctx);
    }
    return findings;
  }

  /** The findings of one rule. */
  public static List<Finding> run(Model model, Rule rule) {
    return run(model, List.of(rule));
  }

  /** Asserts that {@code rules} find exactly one problem in {@code model}, and returns it. */
  public static Finding single(Model model, List<Rule> rules) {
    List<Finding> f = run(model, rules);
    assertEquals(1, f.size(), () -> "expected one finding, got " + f + " for\n" + text(model));
    return f.get(0);
  }

  /** Asserts that {@code rules} find nothing in {@code model}. */
  public static void clean(Model model, List<Rule> rules) {
    List<Finding> f = run(model, rules);
    assertEquals(List.of(), f, () -> "expected no findings for\n" + text(model));
  }

  /** A location in the test file. */
  public static Location at(String graph, String node, String field) {
    return new Location(FILE, graph, node, field);
  }

  private static String text(Model model) {
    try {
      return TextFormat.format(model);
    } catch (RuntimeException e) {
      return model.toString();
    }
  }
}
