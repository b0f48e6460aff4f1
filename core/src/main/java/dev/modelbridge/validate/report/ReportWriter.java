package dev.modelbridge.validate.report;

import dev.modelbridge.validate.ValidationReport;
import java.io.IOException;
import java.io.Writer;

/** Writes a validation report in one format. Writers hold no state and may be shared. */
public interface ReportWriter {

  /** Writes the whole report to {@code out} and flushes it; does not close it. */
  void write(ValidationReport report, ReportSettings settings, Writer out) throws IOException;
}
