package dev.modelbridge.maven;

import dev.modelbridge.validate.Finding;
import dev.modelbridge.validate.ModelReport;
import dev.modelbridge.validate.ValidationReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.maven.plugin.MojoExecutionException;

/** The formats the goal writes {@code reportFile} in. */
enum ReportFormat {
  /** One line per finding, as in the build log, then one summary line. */
  TEXT {
    @Override
    String render(ValidationReport report, Path basedir) {
      StringBuilder b = new StringBuilder();
      for (ModelReport model : report.models()) {
        b.append(Findings.relative(basedir, Path.of(model.file())))
            .append(model.findings().isEmpty() ? ": ok" : "").append('\n');
        for (Finding f : model.findings()) {
          b.append("  ").append(f.severity().name().toLowerCase(Locale.ROOT)).append(' ')
              .append(Findings.line(basedir, f)).append('\n');
        }
      }
      b.append(Findings.plural(report.models().size(), "model file")).append(": ").append(Findings.counts(report))
          .append('\n');
      return b.toString();
    }
  };

  abstract String render(ValidationReport report, Path basedir);

  /** Writes the report, creating the file's folder. */
  void write(ValidationReport report, Path basedir, Path file) throws MojoExecutionException {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, render(report, basedir), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new MojoExecutionException("cannot write report " + file + ": " + e, e);
    }
  }

  static ReportFormat parse(String value) throws MojoExecutionException {
    String v = (value == null || value.isBlank() ? "text" : value.trim()).toUpperCase(Locale.ROOT);
    try {
      return valueOf(v);
    } catch (IllegalArgumentException e) {
      throw new MojoExecutionException("reportFormat must be one of "
          + Arrays.stream(values()).map(f -> f.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))
          + ", not '" + value + "'");
    }
  }
}
