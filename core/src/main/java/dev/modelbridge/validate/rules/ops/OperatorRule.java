package dev.modelbridge.validate.rules.ops;

import dev.modelbridge.validate.Rule;
import dev.modelbridge.validate.RuleContext;
import dev.modelbridge.validate.Severity;

/** An operator rule: looks at each node's {@link OpBinding} in turn. */
abstract class OperatorRule implements Rule {
  private final String id;
  private final Severity severity;
  private final String summary;

  OperatorRule(String id, Severity severity, String summary) {
    this.id = id;
    this.severity = severity;
    this.summary = summary;
  }

  @Override
  public final String id() {
    return id;
  }

  @Override
  public final Severity defaultSeverity() {
    return severity;
  }

  @Override
  public final String summary() {
    return summary;
  }

  @Override
  public void check(RuleContext context) {
    for (OpBinding b : OpBindings.of(context).all()) {
      check(context, b);
    }
  }

  /** Checks one node. */
  abstract void check(RuleContext context, OpBinding binding);

  /** {@code input 1 'B'}, the field of a node input in locations. */
  static String inputField(int index, String name) {
    return "input " + index + (name.isEmpty() ? "" : " '" + name + "'");
  }

  /** {@code output 0 'Y'}. */
  static String outputField(int index, String name) {
    return "output " + index + (name.isEmpty() ? "" : " '" + name + "'");
  }

  /** {@code attribute 'axis'}. */
  static String attributeField(String name) {
    return "attribute '" + name + "'";
  }
}
