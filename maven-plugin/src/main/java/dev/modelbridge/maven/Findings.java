package dev.modelbridge.maven;

import dev.modelbridge.validate.Finding;
import dev.modelbridge.validate.Location;
import dev.modelbridge.validate.ModelReport;
import dev.modelbridge.validate.Severity;
import dev.modelbridge.validate.ValidationReport;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.maven.plugin.logging.Log;

/** Findings as the build log shows them: one line each at its severity, paths relative to the project. */
final class Findings {
  /** Failing files named in the failure message; the log above has them all. */
  private static final int NAMED_FILES = 5;

  private final Path basedir;
  private final Log log;

  Findings(Path basedir, Log log) {
    this.basedir = basedir;
    this.log = log;
  }

  /** Logs every finding at its severity, then a summary line. */
  void log(ValidationReport report) {
    for (ModelReport model : report.models()) {
      for (Finding f : model.findings()) {
        String line = line(basedir, f);
        switch (f.severity()) {
          case ERROR -> log.error(line);
          case WARNING -> log.warn(line);
          default -> log.info(line);
        }
      }
    }
    log.info("ModelBridge checked " + plural(report.models().size(), "model file") + " in "
        + report.elapsed().toMillis() + " ms: " + counts(report));
  }

  /** The message of the failure: counts, the threshold, and the files at fault. */
  String failureMessage(ValidationReport report, Severity threshold) {
    List<ModelReport> failing = report.models().stream().filter(m -> m.fails(threshold)).toList();
    String files = failing.stream().limit(NAMED_FILES)
        .map(m -> relative(basedir, Path.of(m.file())))
        .collect(Collectors.joining(", "));
    if (failing.size() > NAMED_FILES) {
      files += ", ...";
    }
    return "ModelBridge found " + counts(report) + " in " + failing.size() + " of "
        + plural(report.models().size(), "model file") + " (the build fails on "
        + (threshold == Severity.ERROR ? "errors" : "warnings and errors") + "): " + files;
  }

  /** {@code models/m.onnx: graph 'main': node conv1: message [rule.id]}. */
  static String line(Path basedir, Finding f) {
    Location at = f.location();
    String file = at.file().isEmpty() ? "" : relative(basedir, Path.of(at.file()));
    return new Location(file, at.graph(), at.node(), at.field()) + ": " + f.message() + " [" + f.ruleId() + "]";
  }

  static String counts(ValidationReport report) {
    String s = plural(report.count(Severity.ERROR), "error") + ", " + plural(report.count(Severity.WARNING), "warning");
    long infos = report.count(Severity.INFO);
    return infos == 0 ? s : s + ", " + plural(infos, "note");
  }

  /** {@code p} relative to the project folder when inside it, with forward slashes. */
  static String relative(Path basedir, Path p) {
    Path abs = p.toAbsolutePath().normalize();
    Path base = basedir.toAbsolutePath().normalize();
    Path shown = abs.startsWith(base) && !abs.equals(base) ? base.relativize(abs) : abs;
    return shown.toString().replace('\\', '/');
  }

  static String relative(Path basedir, List<Path> paths) {
    return paths.stream().map(p -> relative(basedir, p)).collect(Collectors.joining(", "));
  }

  static String plural(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
