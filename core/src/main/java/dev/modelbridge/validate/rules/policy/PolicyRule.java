package dev.modelbridge.validate.rules.policy;

import dev.modelbridge.validate.Rule;
import dev.modelbridge.validate.Severity;

/** A rule that enforces part of the {@link dev.modelbridge.validate.Policy}; every one is an error by default. */
abstract class PolicyRule implements Rule {
  private final String id;
  private final String summary;

  PolicyRule(String id, String summary) {
    this.id = id;
    this.summary = summary;
  }

  @Override
  public final String id() {
    return id;
  }

  @Override
  public final Severity defaultSeverity() {
    return Severity.ERROR;
  }

  @Override
  public final String summary() {
    return summary;
  }

  /** {@code ai.onnx} for the default domain (spelled {@code ""} in files), else the domain as is. */
  static String domainName(String domain) {
    return domain.isEmpty() ? "ai.onnx" : domain;
  }

  /** How policies name an op: {@code Conv} in the default domain, {@code com.microsoft:Attention} elsewhere. */
  static String opName(String domain, String opType) {
    return domain.isEmpty() || domain.equals("ai.onnx") ? opType : domain + ":" + opType;
  }

  /** A short, stable listing of a set for messages: sorted, at most eight entries. */
  static String listing(java.util.Collection<String> values) {
    java.util.List<String> sorted = values.stream().sorted().toList();
    String shown = String.join(", ", sorted.subList(0, Math.min(8, sorted.size())));
    return sorted.size() > 8 ? shown + ", ... (" + sorted.size() + " in all)" : shown;
  }
}
