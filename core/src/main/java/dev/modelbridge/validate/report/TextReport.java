package dev.modelbridge.validate.report;

import dev.modelbridge.validate.Finding;
import dev.modelbridge.validate.Location;
import dev.modelbridge.validate.ModelReport;
import dev.modelbridge.validate.ValidationReport;
import java.io.IOException;
import java.io.Writer;

/**
 * One line per finding, as compilers print them, then the summary:
 * <pre>
 * m.onnx: graph 'main': node conv1: input 1 'W': error: input 'W' is defined nowhere [graph.undefined-input]
 * 1 model checked in 0.01 s: 0 valid, 1 invalid; 1 error, 0 warnings, 0 notes; failing on error: FAILED
 * </pre>
 */
final class TextReport implements ReportWriter {

  @Override
  public void write(ValidationReport report, ReportSettings settings, Writer out) throws IOException {
    for (ModelReport m : report.models()) {
      for (Finding f : m.findings()) {
        out.write(line(f, m));
        out.write('\n');
      }
    }
    out.write(Summary.line(report, settings.failOn()));
    out.write('\n');
    out.flush();
  }

  static String line(Finding f, ModelReport m) {
    Location l = f.location().file().isEmpty() ? new Location(m.file(), f.location().graph(),
        f.location().node(), f.location().field()) : f.location();
    return l + ": " + Summary.severityName(f.severity()) + ": " + f.message() + " [" + f.ruleId() + "]";
  }
}
