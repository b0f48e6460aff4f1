package dev.modelbridge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.modelbridge.ModelException;
import dev.modelbridge.api.ModelBridge;
import dev.modelbridge.inspect.ModelSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code modelbridge inspect}: what a model is, takes, gives and holds. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = "Shows a model's format, IR version, opsets, producer, inputs and outputs, "
        + "op histogram, parameter count and bytes, and metadata; for a SavedModel also every MetaGraph "
        + "(tag set) and signature with its inputs and outputs, even when the model cannot be converted.")
final class InspectCommand implements Callable<Integer> {

  @Parameters(paramLabel = "MODEL", description = "The model file or folder.")
  Path model;

  @Option(names = "--json", description = "Print JSON instead of text.")
  boolean json;

  @Mixin CommonOptions common;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ModelSummary s = inspect();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(s));
    } else {
      printText(s, out);
    }
    out.flush();
    return ExitCodes.OK;
  }

  private ModelSummary inspect() throws ModelException {
    return ModelBridge.create().inspect(model);
  }

  private static void printText(ModelSummary s, PrintWriter out) {
    out.println(s.path());
    row(out, "format", s.format());
    if (s.conversionError() != null) {
      // Nothing was converted: the IR rows would be empty, so show what the format read and why.
      details(out, s.details(), 0);
      row(out, "conversion", "fails: " + s.conversionError());
      return;
    }
    row(out, "IR version", Long.toString(s.irVersion()));
    row(out, "opsets", s.opsets().stream().map(o -> o.domain() + " " + o.version()).collect(Collectors.joining(", ")));
    row(out, "producer", (s.producerName() + " " + s.producerVersion()).trim());
    if (!s.domain().isEmpty() || s.modelVersion() != 0) {
      row(out, "domain", s.domain() + (s.modelVersion() != 0 ? " (model version " + s.modelVersion() + ")" : ""));
    }
    values(out, "inputs", s.inputs());
    values(out, "outputs", s.outputs());
    row(out, "nodes", Integer.toString(s.nodeCount()));
    row(out, "ops", s.opHistogram().entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
    row(out, "parameters", String.format(Locale.ROOT, "%,d (%s)", s.parameterCount(), Sizes.human(s.parameterBytes())));
    if (s.functionCount() > 0) {
      row(out, "functions", Integer.toString(s.functionCount()));
    }
    if (!s.externalDataFiles().isEmpty()) {
      row(out, "external data", String.join(", ", s.externalDataFiles()));
    }
    for (Map.Entry<String, String> e : s.metadata().entrySet()) {
      row(out, "metadata", e.getKey() + " = " + e.getValue());
    }
    details(out, s.details(), 0);
  }

  /** The format's own facts as an indented tree, two spaces a level. */
  private static void details(PrintWriter out, List<ModelSummary.Detail> details, int depth) {
    for (ModelSummary.Detail d : details) {
      row(out, "  ".repeat(depth) + d.label(), d.value());
      details(out, d.children(), depth + 1);
    }
  }

  private static void values(PrintWriter out, String label, List<ModelSummary.Value> values) {
    if (values.isEmpty()) {
      row(out, label, "(none)");
    }
    for (ModelSummary.Value v : values) {
      row(out, label, v.name() + "  " + v.type());
      label = "";
    }
  }

  private static void row(PrintWriter out, String label, String value) {
    out.printf(Locale.ROOT, "  %-14s %s%n", label.isEmpty() ? "" : label + ":", value);
  }
}
