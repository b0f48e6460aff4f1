package dev.modelbridge.validate.report;

import dev.modelbridge.ModelIOException;
import dev.modelbridge.format.StagedOutput;
import dev.modelbridge.validate.ValidationReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** The report formats: text for people, JSON for scripts, JUnit XML for CI dashboards, SARIF for code scanning. */
public enum ReportFormat {
  TEXT(new TextReport()),
  JSON(new JsonReport()),
  JUNIT(new JUnitReport()),
  SARIF(new SarifReport());

  private final ReportWriter writer;

  ReportFormat(ReportWriter writer) {
    this.writer = writer;
  }

  public ReportWriter writer() {
    return writer;
  }

  /** The name used on the command line: {@code text}, {@code json}, {@code junit}, {@code sarif}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The format a report file's name suggests: {@code .sarif}, {@code .xml}, {@code .json}, {@code .txt}. */
  public static Optional<ReportFormat> forFileName(String fileName) {
    String n = fileName.toLowerCase(Locale.ROOT);
    if (n.endsWith(".sarif") || n.endsWith(".sarif.json")) {
      return Optional.of(SARIF);
    }
    if (n.endsWith(".xml")) {
      return Optional.of(JUNIT);
    }
    if (n.endsWith(".json")) {
      return Optional.of(JSON);
    }
    if (n.endsWith(".txt")) {
      return Optional.of(TEXT);
    }
    return Optional.empty();
  }

  /** Writes the report to {@code out}. */
  public void write(ValidationReport report, ReportSettings settings, Writer out) throws IOException {
    writer.write(report, settings, out);
  }

  /**
   * Writes the report to {@code file} atomically: to a temporary sibling first, renamed into place
   * when complete, so that CI never reads half a report. An existing report is replaced.
   */
  public void writeTo(ValidationReport report, ReportSettings settings, Path file) throws ModelIOException {
    try (StagedOutput staged = new StagedOutput(file, true)) {
      try (FileChannel ch = staged.openMain();
          Writer w = Channels.newWriter(ch, StandardCharsets.UTF_8)) {
        writer.write(report, settings, w);
      } catch (IOException | UncheckedIOException e) {
        IOException io = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
        throw (ModelIOException) new ModelIOException("cannot write the report", io).inFile(file);
      }
      staged.commit();
    } catch (dev.modelbridge.OutputExistsException e) {
      throw new IllegalStateException("overwriting was asked for", e);
    }
  }
}
