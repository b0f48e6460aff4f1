package dev.modelbridge.cli;

import dev.modelbridge.ModelException;
import dev.modelbridge.ModelIOException;
import dev.modelbridge.validate.Policy;
import dev.modelbridge.validate.PolicyFile;
import dev.modelbridge.validate.Severity;
import dev.modelbridge.validate.ValidationReport;
import dev.modelbridge.validate.Validator;
import dev.modelbridge.validate.report.ReportFormat;
import dev.modelbridge.validate.report.ReportSettings;
import dev.modelbridge.validate.report.Summary;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code modelbridge validate}: checks model files and folders in parallel and reports every
 * finding; the exit code tells CI whether any finding reaches the threshold.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Checks models (files, or folders searched for models) for structural, operator, tensor, type and",
      "policy problems, and reports each finding with its rule id ('modelbridge rules' lists them).",
      "A policy file (modelbridge-policy.json, .yaml or .yml) is read from --policy, else from the",
      "working directory when one is there."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:no finding at or above the --fail-on severity",
      "1:a finding at or above it",
      "2:bad usage, a missing path, a bad policy file, or a report that cannot be written",
    })
final class ValidateCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Model files or folders of models.")
  List<Path> paths;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "Report format: text, json, junit or sarif (default: from the -o file name, else text).")
  String format;

  @Option(names = {"-o", "--output"}, paramLabel = "REPORT",
      description = "Write the report to this file (atomically) and print a one-line summary instead.")
  Path output;

  @Option(names = "--report", paramLabel = "FORMAT=FILE",
      description = "Also write a report in another format, such as junit=target/models.xml; repeatable.")
  List<String> extraReports = new ArrayList<>();

  @Option(names = "--policy", paramLabel = "FILE", description = "Policy file, JSON or YAML.")
  Path policyFile;

  @Option(names = "--fail-on", paramLabel = "SEVERITY",
      description = "Fail (exit 1) on findings of this severity or worse: error or warning (default: the policy's, else error).")
  String failOn;

  @Option(names = "--strict", description = "Declared types and shapes that contradict inference are errors.")
  boolean strict;

  @Option(names = "--threads", paramLabel = "N", description = "Models checked at once (default: the number of cores).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Mixin CommonOptions common;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private record Target(ReportFormat format, Path file) {}

  @Override
  public Integer call() throws ModelException {
    if (threads < 1) {
      throw usage("--threads must be at least 1");
    }
    ReportFormat main = format != null ? parseFormat(format, "--format")
        : Optional.ofNullable(output).flatMap(o -> ReportFormat.forFileName(o.getFileName().toString()))
            .orElse(ReportFormat.TEXT);
    List<Target> targets = new ArrayList<>();
    if (output != null) {
      targets.add(new Target(main, output));
    }
    for (String r : extraReports) {
      int eq = r.indexOf('=');
      if (eq <= 0 || eq == r.length() - 1) {
        throw usage("--report takes FORMAT=FILE, such as sarif=target/models.sarif; got '" + r + "'");
      }
      targets.add(new Target(parseFormat(r.substring(0, eq), "--report"), Path.of(r.substring(eq + 1))));
    }
    for (Path p : paths) {
      if (!Files.exists(p)) {
        throw (ModelIOException) new ModelIOException("no such file or folder").inFile(p);
      }
    }
    Policy policy = policy();
    ValidationReport report = Validator.builder().policy(policy).threads(threads).build().validate(paths);
    ReportSettings settings = ReportSettings.defaults().withVersion(VersionProvider.version())
        .withFailOn(policy.failOn());
    PrintWriter out = spec.commandLine().getOut();
    for (Target t : targets) {
      t.format().writeTo(report, settings, t.file());
    }
    if (output == null) {
      try {
        main.write(report, settings, out);
      } catch (java.io.IOException e) {
        throw new ModelIOException("cannot write the report to standard output", e);
      }
    } else {
      out.println(Summary.line(report, policy.failOn()) + " (report: " + output + ")");
    }
    out.flush();
    return report.fails(policy.failOn()) ? ExitCodes.MODEL_ERROR : ExitCodes.OK;
  }

  /** The policy file's (given, or found in the working directory), then the flags over it. */
  private Policy policy() throws ModelException {
    Optional<Path> file = policyFile != null ? Optional.of(policyFile) : PolicyFile.find(Path.of(""));
    Policy p = file.isPresent() ? PolicyFile.load(file.get()) : Policy.defaults();
    if (failOn != null) {
      p = p.withFailOn(parseSeverity(failOn));
    }
    if (strict) {
      p = p.withStrict(true);
    }
    return p;
  }

  private Severity parseSeverity(String s) {
    String v = s.strip().toLowerCase(Locale.ROOT);
    if (v.equals("error")) {
      return Severity.ERROR;
    }
    if (v.equals("warning")) {
      return Severity.WARNING;
    }
    throw usage("--fail-on takes error or warning, not '" + s + "'");
  }

  private ReportFormat parseFormat(String s, String option) {
    for (ReportFormat f : ReportFormat.values()) {
      if (f.id().equalsIgnoreCase(s.strip())) {
        return f;
      }
    }
    throw usage(option + " takes text, json, junit or sarif, not '" + s + "'");
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
