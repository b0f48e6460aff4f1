package dev.modelbridge.validate;

/**
 * One validation rule: a stable id, a default severity, and a check over a model. Rules are small
 * and independent; {@link RuleContext} gives them the model, the operator schemas and a place to
 * report.
 */
public interface Rule {

  /** Stable id, {@code family.name} (such as {@code graph.undefined-input}); never reused for another meaning. */
  String id();

  Severity defaultSeverity();

  /**
   * Whether {@link Policy#strict() strict} policies raise this rule's findings to errors (the
   * rules comparing declared types with inferred ones); false for most rules.
   */
  default boolean errorWhenStrict() {
    return false;
  }

  /** One sentence on what the rule finds, for {@code modelbridge rules} and SARIF rule metadata. */
  String summary();

  /** Checks the model in {@code context}, reporting each problem through {@link RuleContext#report}. */
  void check(RuleContext context);
}
