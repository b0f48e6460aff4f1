package dev.modelbridge.validate.report;

import dev.modelbridge.validate.Severity;
import java.nio.file.Path;

/**
 * What a report says besides the findings: the tool, the threshold that fails a run, and the
 * folder that file URIs are relative to (SARIF).
 *
 * @param failOn findings at or above this severity fail a model (JUnit failures, summary verdict)
 * @param baseDir the folder that relative file URIs start from, usually the working directory
 */
public record ReportSettings(String toolName, String toolVersion, String informationUri, Severity failOn, Path baseDir) {

  /** Where the tool and its rules are documented, for SARIF viewers. */
  public static final String INFORMATION_URI = "https://github.com/modelbridge/modelbridge";

  public ReportSettings {
    baseDir = baseDir.toAbsolutePath().normalize();
  }

  /** ModelBridge's name and version (from the jar manifest when known), failing on errors, relative to the working directory. */
  public static ReportSettings defaults() {
    String v = ReportSettings.class.getPackage().getImplementationVersion();
    return new ReportSettings("modelbridge", v == null ? "dev" : v, INFORMATION_URI, Severity.ERROR, Path.of(""));
  }

  public ReportSettings withVersion(String version) {
    return new ReportSettings(toolName, version, informationUri, failOn, baseDir);
  }

  public ReportSettings withFailOn(Severity severity) {
    return new ReportSettings(toolName, toolVersion, informationUri, severity, baseDir);
  }

  public ReportSettings withBaseDir(Path dir) {
    return new ReportSettings(toolName, toolVersion, informationUri, failOn, dir);
  }
}
