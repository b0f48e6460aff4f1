package dev.modelbridge.validate;

import java.time.Duration;
import java.util.List;

/** The result of validating several model files in one run. */
public record ValidationReport(List<ModelReport> models, List<RuleInfo> rules, Duration elapsed) {

  /** What a report says about each rule it ran, for report formats that list rules (SARIF). */
  public record RuleInfo(String id, Severity defaultSeverity, String summary) {}

  public ValidationReport {
    models = List.copyOf(models);
    rules = List.copyOf(rules);
  }

  public boolean fails(Severity threshold) {
    return models.stream().anyMatch(m -> m.fails(threshold));
  }

  public long count(Severity severity) {
    return models.stream().mapToLong(m -> m.count(severity)).sum();
  }
}
