package dev.modelbridge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.modelbridge.schema.OpSchema;
import dev.modelbridge.schema.OpSchemaRegistry;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code modelbridge ops}: the operators ModelBridge knows, printed from its schema table. */
@Command(
    name = "ops",
    mixinStandardHelpOptions = true,
    description = "Lists the operators of a model format: name, domain and the opset versions that "
        + "define each (with --opset, the version in force at that opset), and a count.")
final class OpsCommand implements Callable<Integer> {

  @ArgGroup(exclusive = true, multiplicity = "1")
  Format format;

  /** Which op table to list. */
  static final class Format {
    @Option(names = "--onnx", required = true, description = "ONNX operators (ai.onnx, ai.onnx.ml, previews).")
    boolean onnx;

    @Option(names = "--tensorflow", required = true,
        description = "TensorFlow operators that TensorFlow to ONNX conversion handles.")
    boolean tensorflow;

    @Option(names = "--savedmodel", required = true,
        description = "ONNX operators that ONNX to SavedModel conversion handles, with the opsets from which each handler applies.")
    boolean savedmodel;
  }

  @Option(names = "--domain", paramLabel = "D",
      description = "Only this domain (\"\" or ai.onnx is the default domain).")
  String domain;

  @Option(names = "--opset", paramLabel = "N",
      description = "Only the operators available at opset N, with the version in force; "
          + "N counts in --domain, ai.onnx when none is given.")
  Long opset;

  @Option(names = "--json", description = "Print JSON instead of text.")
  boolean json;

  @Mixin CommonOptions common;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** One listed operator; {@code inForce} is set with --opset. */
  record Row(String domain, String name, List<Integer> sinceVersions, Integer inForce) {}

  @Override
  public Integer call() throws Exception {
    if (format.savedmodel) {
      return printFormatOps(dev.modelbridge.api.ModelBridge.create().formats().byId("savedmodel").writableOps(),
          "ONNX ops converted to TensorFlow SavedModel:");
    }
    if (format.tensorflow) {
      return printTensorFlowOps();
    }
    OpSchemaRegistry registry = OpSchemaRegistry.onnx();
    if (domain != null && !registry.knowsDomain(domain)) {
      return usageError("no operator schemas for domain '" + domain + "'; known domains: "
          + String.join(", ", registry.domains()));
    }
    if (opset != null && opset < 1) {
      return usageError("--opset must be at least 1, not " + opset);
    }
    List<String> domains = domains(registry);
    List<Row> rows = new ArrayList<>();
    for (String d : domains) {
      for (String op : registry.operators(d)) {
        List<Integer> since = registry.versions(d, op).stream().map(OpSchema::sinceVersion).toList();
        if (opset == null) {
          rows.add(new Row(d, op, since, null));
        } else {
          Optional<OpSchema> s = registry.lookup(d, op, opset).filter(x -> !x.deprecated());
          s.ifPresent(x -> rows.add(new Row(d, op, since, x.sinceVersion())));
        }
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      if (opset != null) {
        doc.put("opset", opset);
      }
      doc.put("count", rows.size());
      doc.put("operators", rows.stream().map(OpsCommand::jsonRow).toList());
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
    } else {
      printText(registry, domains, rows, out);
    }
    out.flush();
    return ExitCodes.OK;
  }

  private List<String> domains(OpSchemaRegistry registry) {
    if (domain == null) {
      return opset == null ? List.copyOf(registry.domains()) : List.of(OpSchemaRegistry.DEFAULT_DOMAIN);
    }
    return List.of(OpSchemaRegistry.canonicalDomain(domain));
  }

  /** The TensorFlow ops the SavedModel reader converts, from the format's own registry. */
  private int printTensorFlowOps() throws Exception {
    return printFormatOps(dev.modelbridge.api.ModelBridge.create().formats().byId("savedmodel").readableOps(),
        "TensorFlow ops converted to ONNX:");
  }

  /** An op list a format reports (its reader's or its writer's table), sorted, with a count. */
  private int printFormatOps(List<String> listed, String title) throws Exception {
    List<String> ops = listed.stream().sorted().toList();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("count", ops.size());
      doc.put("operators", ops);
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
    } else {
      out.println(title);
      ops.forEach(op -> out.println("  " + op));
      out.printf(Locale.ROOT, "%d operators%n", ops.size());
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** Prints one error line, as {@link ErrorPrinter} does, and returns the usage exit code. */
  private int usageError(String message) {
    PrintWriter err = spec.commandLine().getErr();
    err.println(spec.commandLine().getColorScheme().errorText("modelbridge: " + message));
    err.flush();
    return ExitCodes.USAGE_OR_IO;
  }

  private static Map<String, Object> jsonRow(Row r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("domain", r.domain());
    m.put("name", r.name());
    m.put("sinceVersions", r.sinceVersions());
    if (r.inForce() != null) {
      m.put("versionInForce", r.inForce());
    }
    return m;
  }

  private void printText(OpSchemaRegistry registry, List<String> domains, List<Row> rows, PrintWriter out) {
    for (String d : domains) {
      List<Row> mine = rows.stream().filter(r -> r.domain().equals(d)).toList();
      out.printf(Locale.ROOT, "%s (%s)%n", d, opset == null
          ? "opsets 1 to " + registry.latestVersion(d).orElse(0) : "opset " + opset);
      int width = mine.stream().mapToInt(r -> r.name().length()).max().orElse(0);
      for (Row r : mine) {
        String versions = r.sinceVersions().stream().map(v -> v.toString()
            + (registry.lookup(d, r.name(), v).orElseThrow().deprecated() ? " (removed)" : ""))
            .collect(Collectors.joining(", "));
        if (r.inForce() == null) {
          out.printf(Locale.ROOT, "  %-" + width + "s  %s%n", r.name(), versions);
        } else {
          out.printf(Locale.ROOT, "  %-" + width + "s  %-3d (versions %s)%n", r.name(), r.inForce(), versions);
        }
      }
    }
    int versions = rows.stream().mapToInt(r -> r.sinceVersions().size()).sum();
    out.printf(Locale.ROOT, "%d operators%s%n", rows.size(),
        opset == null ? ", " + versions + " versions" : " at opset " + opset);
  }
}
