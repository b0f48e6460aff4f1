package dev.modelbridge.cli;

import dev.modelbridge.json.JsonWriter;
import dev.modelbridge.validate.ReadFailures;
import dev.modelbridge.validate.ValidationReport;
import dev.modelbridge.validate.report.Summary;
import dev.modelbridge.validate.rules.Rules;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code modelbridge rules}: every rule id that {@code validate} can report, from the rule registry. */
@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    description = "Lists every rule id 'validate' can report, with its default severity and what it finds.")
final class RulesCommand implements Callable<Integer> {

  @Option(names = "--json", description = "Print JSON instead of text.")
  boolean json;

  @Mixin CommonOptions common;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    List<ValidationReport.RuleInfo> rules = new ArrayList<>();
    Rules.all().forEach(r -> rules.add(new ValidationReport.RuleInfo(r.id(), r.defaultSeverity(), r.summary())));
    rules.addAll(ReadFailures.all());
    for (var format : dev.modelbridge.api.ModelBridge.create().formats().all()) {
      format.nativeRules().forEach(r -> rules.add(new ValidationReport.RuleInfo(
          r.id(), dev.modelbridge.validate.Severity.valueOf(r.level().name()), r.summary())));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      JsonWriter w = new JsonWriter(out);
      w.beginArray();
      for (ValidationReport.RuleInfo r : rules) {
        w.beginObject().field("id", r.id()).field("severity", Summary.severityName(r.defaultSeverity()))
            .field("summary", r.summary()).endObject();
      }
      w.endArray().finish();
    } else {
      int width = rules.stream().mapToInt(r -> r.id().length()).max().orElse(10);
      for (ValidationReport.RuleInfo r : rules) {
        out.printf(Locale.ROOT, "%-" + width + "s  %-7s  %s%n", r.id(), Summary.severityName(r.defaultSeverity()),
            r.summary());
      }
    }
    out.flush();
    return ExitCodes.OK;
  }
}
