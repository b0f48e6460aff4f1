package dev.modelbridge.validate;

/**
 * One problem found in a model.
 *
 * @param ruleId stable identifier of the rule, such as {@code op.unknown}; documented by {@code modelbridge rules}
 */
public record Finding(String ruleId, Severity severity, Location location, String message) {

  @Override
  public String toString() {
    return severity.name().toLowerCase(java.util.Locale.ROOT) + " [" + ruleId + "] " + location + ": " + message;
  }
}
