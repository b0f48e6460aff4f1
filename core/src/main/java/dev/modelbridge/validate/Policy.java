package dev.modelbridge.validate;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What an organisation allows in its models, beyond validity: opset range, ops and domains, size,
 * required metadata, and which severity fails a run. Empty sets and absent limits mean no limit.
 *
 * @param severityOverrides rule id to the severity it should have instead of its default
 * @param strict declared types and shapes that contradict inference are errors, not warnings
 */
public record Policy(
    OptionalLong minOpset,
    OptionalLong maxOpset,
    Set<String> allowedOps,
    Set<String> forbiddenOps,
    Set<String> allowedDomains,
    Set<String> forbiddenDomains,
    OptionalLong maxModelBytes,
    List<String> requiredMetadata,
    Severity failOn,
    Map<String, Severity> severityOverrides,
    boolean strict) {

  public Policy {
    allowedOps = Set.copyOf(allowedOps);
    forbiddenOps = Set.copyOf(forbiddenOps);
    allowedDomains = Set.copyOf(allowedDomains);
    forbiddenDomains = Set.copyOf(forbiddenDomains);
    requiredMetadata = List.copyOf(requiredMetadata);
    severityOverrides = Map.copyOf(severityOverrides);
  }

  /** No restrictions; errors fail; inference contradictions are warnings. */
  public static Policy defaults() {
    return new Policy(OptionalLong.empty(), OptionalLong.empty(), Set.of(), Set.of(), Set.of(), Set.of(),
        OptionalLong.empty(), List.of(), Severity.ERROR, Map.of(), false);
  }

  public Policy withFailOn(Severity severity) {
    return new Policy(minOpset, maxOpset, allowedOps, forbiddenOps, allowedDomains, forbiddenDomains,
        maxModelBytes, requiredMetadata, severity, severityOverrides, strict);
  }

  public Policy withStrict(boolean on) {
    return new Policy(minOpset, maxOpset, allowedOps, forbiddenOps, allowedDomains, forbiddenDomains,
        maxModelBytes, requiredMetadata, failOn, severityOverrides, on);
  }

  /** The severity a rule's findings get under this policy. */
  public Severity severityOf(Rule rule) {
    Severity base = strict && rule.errorWhenStrict() ? Severity.ERROR : rule.defaultSeverity();
    return Optional.ofNullable(severityOverrides.get(rule.id())).orElse(base);
  }
}
