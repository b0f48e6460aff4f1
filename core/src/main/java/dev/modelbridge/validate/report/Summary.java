package dev.modelbridge.validate.report;

import dev.modelbridge.validate.ModelReport;
import dev.modelbridge.validate.Severity;
import dev.modelbridge.validate.ValidationReport;
import java.util.Locale;

/** The one-line summary of a run, shared by the text report and the command line. */
public final class Summary {
  private Summary() {}

  /** Such as {@code 3 models checked in 0.42 s: 2 valid, 1 invalid; 2 errors, 1 warning; failing on error: FAILED}. */
  public static String line(ValidationReport report, Severity failOn) {
    long models = report.models().size();
    long valid = report.models().stream().filter(ModelReport::valid).count();
    return String.format(Locale.ROOT, "%d model%s checked in %.2f s: %d valid, %d invalid; %s, %s, %s; failing on %s: %s",
        models, models == 1 ? "" : "s", report.elapsed().toMillis() / 1000.0, valid, models - valid,
        count(report.count(Severity.ERROR), "error"), count(report.count(Severity.WARNING), "warning"),
        count(report.count(Severity.INFO), "note"), severityName(failOn),
        report.fails(failOn) ? "FAILED" : "PASSED");
  }

  static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /** {@code error}, {@code warning}, {@code info}: how reports and the command line spell severities. */
  public static String severityName(Severity s) {
    return s.name().toLowerCase(Locale.ROOT);
  }
}
