package dev.modelbridge.format;

/**
 * Where a format's own checks report problems ({@link ModelFormat#checkNative}); the validator turns
 * each report into a finding of the file being checked.
 */
public interface FormatFindings {

  /** The severity of a format finding, as the validator's severities. */
  enum Level {
    ERROR,
    WARNING,
    INFO
  }

  /** A check a format runs itself, listed with the validator's rules (SARIF, {@code modelbridge rules}). */
  record Rule(String id, Level level, String summary) {}

  /**
   * Reports one problem.
   *
   * @param ruleId a stable id, {@code <format>.<name>} (such as {@code savedmodel.signature})
   * @param where the element at fault inside the file (a signature, node or tensor), or empty
   */
  void report(String ruleId, Level level, String where, String message);
}
