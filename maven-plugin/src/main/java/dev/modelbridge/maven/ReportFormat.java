package dev.modelbridge.maven;

import dev.modelbridge.ModelIOException;
import dev.modelbridge.validate.ValidationReport;
import dev.modelbridge.validate.report.ReportSettings;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.maven.plugin.MojoExecutionException;

/**
 * The formats the goal writes {@code reportFile} in: those of the core's report writers (text,
 * json, junit, sarif), so the plugin and the CLI write the same reports.
 */
final class ReportFormat {
  private final dev.modelbridge.validate.report.ReportFormat format;

  private ReportFormat(dev.modelbridge.validate.report.ReportFormat format) {
    this.format = format;
  }

  /** Writes the report atomically, creating the file's folder; paths in it are relative to {@code basedir}. */
  void write(ValidationReport report, Path basedir, Path file, dev.modelbridge.validate.Severity failOn)
      throws MojoExecutionException {
    try {
      java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
      format.writeTo(report, ReportSettings.defaults().withBaseDir(basedir).withFailOn(failOn), file);
    } catch (ModelIOException | java.io.IOException e) {
      throw new MojoExecutionException("cannot write report " + file + ": " + e.getMessage(), e);
    }
  }

  static ReportFormat parse(String value) throws MojoExecutionException {
    String v = value == null || value.isBlank() ? "text" : value.trim().toLowerCase(Locale.ROOT);
    for (dev.modelbridge.validate.report.ReportFormat f : dev.modelbridge.validate.report.ReportFormat.values()) {
      if (f.id().equals(v)) {
        return new ReportFormat(f);
      }
    }
    throw new MojoExecutionException("reportFormat must be one of "
        + Arrays.stream(dev.modelbridge.validate.report.ReportFormat.values())
            .map(dev.modelbridge.validate.report.ReportFormat::id).collect(Collectors.joining(", "))
        + ", not '" + value + "'");
  }
}
