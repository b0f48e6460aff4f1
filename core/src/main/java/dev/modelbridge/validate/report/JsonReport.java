package dev.modelbridge.validate.report;

import dev.modelbridge.json.JsonWriter;
import dev.modelbridge.validate.Finding;
import dev.modelbridge.validate.Location;
import dev.modelbridge.validate.ModelReport;
import dev.modelbridge.validate.Severity;
import dev.modelbridge.validate.ValidationReport;
import java.io.IOException;
import java.io.Writer;

/**
 * The JSON report, described by {@code validation-report.schema.json} in the schemas module:
 * <pre>
 * {"tool": "modelbridge", "version": "...", "reportVersion": 1, "failOn": "error",
 *  "models": [{"file", "format", "valid", "failed", "elapsedMs", "counts": {"error", "warning", "info"},
 *              "findings": [{"ruleId", "severity", "location": {"file", "graph", "node", "field"}, "message"}]}],
 *  "summary": {"models", "valid", "invalid", "failedModels", "errors", "warnings", "infos", "failed", "elapsedMs"}}
 * </pre>
 * Members are only ever added; {@code reportVersion} changes if one is removed or changes meaning.
 */
final class JsonReport implements ReportWriter {
  /** Bumped only by an incompatible change of the structure. */
  static final int REPORT_VERSION = 1;

  @Override
  public void write(ValidationReport report, ReportSettings settings, Writer out) throws IOException {
    JsonWriter w = new JsonWriter(out);
    w.beginObject()
        .field("tool", settings.toolName())
        .field("version", settings.toolVersion())
        .field("reportVersion", REPORT_VERSION)
        .field("failOn", Summary.severityName(settings.failOn()));
    w.name("models").beginArray();
    for (ModelReport m : report.models()) {
      model(w, m, settings);
    }
    w.endArray();
    long valid = report.models().stream().filter(ModelReport::valid).count();
    w.name("summary").beginObject()
        .field("models", report.models().size())
        .field("valid", valid)
        .field("invalid", report.models().size() - valid)
        .field("failedModels", report.models().stream().filter(m -> m.fails(settings.failOn())).count())
        .field("errors", report.count(Severity.ERROR))
        .field("warnings", report.count(Severity.WARNING))
        .field("infos", report.count(Severity.INFO))
        .field("failed", report.fails(settings.failOn()))
        .field("elapsedMs", report.elapsed().toMillis())
        .endObject();
    w.endObject().finish();
  }

  private static void model(JsonWriter w, ModelReport m, ReportSettings settings) {
    w.beginObject()
        .field("file", m.file())
        .field("format", m.format())
        .field("valid", m.valid())
        .field("failed", m.fails(settings.failOn()))
        .field("elapsedMs", m.elapsed().toMillis());
    w.name("counts").beginObject()
        .field("error", m.count(Severity.ERROR))
        .field("warning", m.count(Severity.WARNING))
        .field("info", m.count(Severity.INFO))
        .endObject();
    w.name("findings").beginArray();
    for (Finding f : m.findings()) {
      Location l = f.location();
      w.beginObject()
          .field("ruleId", f.ruleId())
          .field("severity", Summary.severityName(f.severity()));
      w.name("location").beginObject()
          .field("file", l.file().isEmpty() ? m.file() : l.file())
          .field("graph", l.graph())
          .field("node", l.node())
          .field("field", l.field())
          .endObject();
      w.field("message", f.message()).endObject();
    }
    w.endArray().endObject();
  }
}
