package dev.modelbridge.validate;

/** How bad a finding is; ordered from worst to mildest. */
public enum Severity {
  ERROR,
  WARNING,
  INFO;

  /** Whether this severity is at least as bad as {@code threshold}. */
  public boolean atLeast(Severity threshold) {
    return compareTo(threshold) <= 0;
  }
}
