package dev.modelbridge.validate.report;

import dev.modelbridge.json.JsonWriter;
import dev.modelbridge.validate.Finding;
import dev.modelbridge.validate.Location;
import dev.modelbridge.validate.ModelReport;
import dev.modelbridge.validate.ReadFailures;
import dev.modelbridge.validate.Severity;
import dev.modelbridge.validate.ValidationReport;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SARIF 2.1.0 for code-scanning views: one run whose driver lists every rule, and one result per
 * finding. A result's physical location is the model file as a URI relative to
 * {@code %SRCROOT%} (the settings' base folder); model files have no lines, so the graph, node
 * and field go into logical locations and the message text.
 */
final class SarifReport implements ReportWriter {
  static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
  private static final String ROOT = "%SRCROOT%";

  @Override
  public void write(ValidationReport report, ReportSettings settings, Writer out) throws IOException {
    Map<String, Integer> ruleIndex = new LinkedHashMap<>();
    List<ValidationReport.RuleInfo> rules = new ArrayList<>();
    List<ValidationReport.RuleInfo> all = new ArrayList<>(report.rules());
    all.addAll(ReadFailures.all());
    for (ValidationReport.RuleInfo r : all) {
      if (ruleIndex.putIfAbsent(r.id(), rules.size()) == null) {
        rules.add(r);
      }
    }
    JsonWriter w = new JsonWriter(out);
    w.beginObject().field("$schema", SCHEMA).field("version", "2.1.0");
    w.name("runs").beginArray().beginObject();
    w.name("tool").beginObject().name("driver").beginObject()
        .field("name", settings.toolName())
        .field("version", settings.toolVersion())
        .field("informationUri", settings.informationUri());
    w.name("rules").beginArray();
    for (ValidationReport.RuleInfo r : rules) {
      w.beginObject().field("id", r.id());
      w.name("shortDescription").beginObject().field("text", r.summary()).endObject();
      w.name("defaultConfiguration").beginObject().field("level", level(r.defaultSeverity())).endObject();
      w.endObject();
    }
    w.endArray().endObject().endObject();
    w.name("originalUriBaseIds").beginObject().name(ROOT).beginObject()
        .field("uri", directoryUri(settings.baseDir())).endObject().endObject();
    w.name("invocations").beginArray().beginObject().field("executionSuccessful", true).endObject().endArray();
    w.name("results").beginArray();
    for (ModelReport m : report.models()) {
      for (Finding f : m.findings()) {
        result(w, f, m, ruleIndex, settings);
      }
    }
    w.endArray();
    w.endObject().endArray().endObject().finish();
  }

  private static void result(JsonWriter w, Finding f, ModelReport m, Map<String, Integer> ruleIndex,
      ReportSettings settings) {
    Location l = f.location();
    w.beginObject().field("ruleId", f.ruleId());
    Integer index = ruleIndex.get(f.ruleId());
    if (index != null) {
      w.field("ruleIndex", index);
    }
    w.field("level", level(f.severity()));
    String where = new Location("", l.graph(), l.node(), l.field()).toString();
    w.name("message").beginObject().field("text", where.isEmpty() ? f.message() : where + ": " + f.message())
        .endObject();
    w.name("locations").beginArray().beginObject();
    w.name("physicalLocation").beginObject().name("artifactLocation").beginObject()
        .field("uri", relativeUri(l.file().isEmpty() ? m.file() : l.file(), settings.baseDir()))
        .field("uriBaseId", ROOT)
        .endObject().endObject();
    List<String[]> logical = logical(l);
    if (!logical.isEmpty()) {
      w.name("logicalLocations").beginArray();
      for (String[] ll : logical) {
        w.beginObject().field("name", ll[0]).field("fullyQualifiedName", ll[1]).field("kind", ll[2]).endObject();
      }
      w.endArray();
    }
    w.endObject().endArray().endObject();
  }

  /** Graph, node and field as logical locations: {name, fully qualified name, kind}. */
  private static List<String[]> logical(Location l) {
    List<String[]> out = new ArrayList<>();
    String path = "";
    if (!l.graph().isEmpty()) {
      path = l.graph();
      out.add(new String[] {l.graph(), path, "module"});
    }
    if (!l.node().isEmpty()) {
      path = path.isEmpty() ? l.node() : path + "/" + l.node();
      out.add(new String[] {l.node(), path, "function"});
    }
    if (!l.field().isEmpty()) {
      path = path.isEmpty() ? l.field() : path + "/" + l.field();
      String kind = l.field().startsWith("attribute") ? "attribute"
          : l.field().startsWith("input") || l.field().startsWith("output") ? "parameter"
          : l.field().startsWith("initializer") ? "variable" : "element";
      out.add(new String[] {l.field(), path, kind});
    }
    return out;
  }

  static String level(Severity s) {
    return switch (s) {
      case ERROR -> "error";
      case WARNING -> "warning";
      case INFO -> "note";
    };
  }

  /** The file as a URI reference relative to {@code base}, with '/' separators and percent-escapes. */
  static String relativeUri(String file, Path base) {
    Path abs = base.resolve(file).toAbsolutePath().normalize();
    Path rel = abs.getRoot() != null && abs.getRoot().equals(base.getRoot()) ? base.relativize(abs) : abs;
    String s = rel.toString().replace('\\', '/');
    if (!rel.isAbsolute() && s.indexOf(':') >= 0 && s.indexOf(':') < (s.indexOf('/') < 0 ? s.length() : s.indexOf('/'))) {
      s = "./" + s; // a colon in the first segment would read as a URI scheme
    }
    try {
      return new URI(null, null, s, null).getRawPath();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot express " + file + " as a URI", e);
    }
  }

  private static String directoryUri(Path dir) {
    String u = dir.toUri().toString();
    return u.endsWith("/") ? u : u + "/";
  }
}
