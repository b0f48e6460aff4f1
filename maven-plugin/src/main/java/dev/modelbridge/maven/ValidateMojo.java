package dev.modelbridge.maven;

import dev.modelbridge.validate.Policy;
import dev.modelbridge.validate.Severity;
import dev.modelbridge.validate.ValidationReport;
import dev.modelbridge.validate.Validator;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Validates the model files of a project (by default every model under {@code src/main/resources})
 * and fails the build when a finding reaches {@code failOn}. Each finding is logged at its severity
 * with its rule id and location. A thin shell over {@link Validator}: the same checks as
 * {@code modelbridge validate}.
 * Bound to {@code verify} by default.
 */
@Mojo(name = "validate", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public final class ValidateMojo extends AbstractMojo {

  /** Folders to search for models (files may be listed too). Default: {@code src/main/resources}. */
  @Parameter
  List<File> directories;

  /**
   * Glob patterns, relative to each folder, of the files to check (such as {@code **}{@code /*.onnx}
   * or {@code models/*.bin}); a matching file is checked even when its name does not say it is a
   * model. Default: every model file found.
   */
  @Parameter
  List<String> includes;

  /** Glob patterns, relative to each folder, of files and folders not to check. */
  @Parameter
  List<String> excludes;

  /** The least severity that fails the build: {@code error} or {@code warning}. Default: {@code error}, or the policy file's. */
  @Parameter(property = "modelbridge.failOn")
  String failOn;

  /** Declared types and shapes that contradict inference are errors, not warnings. Default: the policy file's, else false. */
  @Parameter(property = "modelbridge.strict")
  Boolean strict;

  /**
   * A policy file ({@code modelbridge-policy.json} or YAML): opset range, allowed or forbidden ops
   * and domains, maximum size, required metadata. {@code failOn} and {@code strict}, when set,
   * override it.
   */
  @Parameter(property = "modelbridge.policy")
  File policyFile;

  /** Writes the findings to this file too, in {@code reportFormat}. */
  @Parameter(property = "modelbridge.reportFile")
  File reportFile;

  /** The format of {@code reportFile}. */
  @Parameter(property = "modelbridge.reportFormat", defaultValue = "text")
  String reportFormat;

  /** Skips the goal. */
  @Parameter(property = "modelbridge.skip", defaultValue = "false")
  boolean skip;

  @Parameter(defaultValue = "${project.basedir}", readonly = true, required = true)
  File basedir;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("ModelBridge validation skipped");
      return;
    }
    Path base = basedir.toPath();
    List<Path> roots = directories == null || directories.isEmpty()
        ? List.of(base.resolve("src/main/resources"))
        : directories.stream().map(File::toPath).toList();
    ReportFormat format = ReportFormat.parse(reportFormat);
    Policy policy = Policies.of(policyFile == null ? null : policyFile.toPath(), parseFailOn(failOn), strict);

    List<Path> models = new ModelSelection(includes, excludes, getLog()).select(roots);
    if (models.isEmpty()) {
      getLog().info("ModelBridge: no model files under " + Findings.relative(base, roots));
      return;
    }
    ValidationReport report;
    try {
      report = Validator.builder().policy(policy).build().validate(models);
    } catch (RuntimeException e) {
      throw new MojoExecutionException("ModelBridge validation failed unexpectedly: " + e, e);
    }

    Findings findings = new Findings(base, getLog());
    findings.log(report);
    if (reportFile != null) {
      format.write(report, base, reportFile.toPath(), policy.failOn());
      getLog().info("ModelBridge report written to " + reportFile);
    }
    if (report.fails(policy.failOn())) {
      throw new MojoFailureException(findings.failureMessage(report, policy.failOn()));
    }
  }

  /** {@code error} or {@code warning}, in any case; null when not set. */
  static Severity parseFailOn(String value) throws MojoExecutionException {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("error")) {
      return Severity.ERROR;
    }
    if (v.equals("warning")) {
      return Severity.WARNING;
    }
    throw new MojoExecutionException("failOn must be 'error' or 'warning', not '" + value + "'");
  }
}
