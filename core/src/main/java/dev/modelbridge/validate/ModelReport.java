package dev.modelbridge.validate;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/** The findings for one model file, sorted by severity, then location. */
public record ModelReport(String file, String format, List<Finding> findings, Duration elapsed) {

  public ModelReport {
    findings = findings.stream()
        .sorted(Comparator.comparing(Finding::severity)
            .thenComparing(f -> f.location().toString())
            .thenComparing(Finding::ruleId))
        .toList();
  }

  public long count(Severity severity) {
    return findings.stream().filter(f -> f.severity() == severity).count();
  }

  /** Whether any finding is at least as bad as {@code threshold}. */
  public boolean fails(Severity threshold) {
    return findings.stream().anyMatch(f -> f.severity().atLeast(threshold));
  }

  /** Whether the model is valid: no errors. */
  public boolean valid() {
    return !fails(Severity.ERROR);
  }
}
