package dev.modelbridge.validate.report;

import dev.modelbridge.validate.Finding;
import dev.modelbridge.validate.ModelReport;
import dev.modelbridge.validate.Severity;
import dev.modelbridge.validate.ValidationReport;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;

/**
 * JUnit XML, as CI dashboards (Jenkins, GitLab, GitHub test reporters) read it: one test suite,
 * one test case per model named by its file. A model with findings at or above the threshold has
 * a {@code <failure>} listing them; milder findings go to the case's {@code <system-out>}.
 */
final class JUnitReport implements ReportWriter {

  @Override
  public void write(ValidationReport report, ReportSettings settings, Writer out) throws IOException {
    Severity threshold = settings.failOn();
    long failures = report.models().stream().filter(m -> m.fails(threshold)).count();
    String counts = " tests=\"" + report.models().size() + "\" failures=\"" + failures
        + "\" errors=\"0\" skipped=\"0\" time=\"" + seconds(report.elapsed().toNanos()) + "\"";
    String suite = settings.toolName() + " validate";
    out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.write("<testsuites name=\"" + attr(suite) + "\"" + counts + ">\n");
    out.write("  <testsuite name=\"" + attr(suite) + "\"" + counts + ">\n");
    out.write("    <properties>\n");
    property(out, "tool.version", settings.toolVersion());
    property(out, "failOn", Summary.severityName(threshold));
    out.write("    </properties>\n");
    for (ModelReport m : report.models()) {
      testCase(out, m, threshold, settings);
    }
    out.write("  </testsuite>\n</testsuites>\n");
    out.flush();
  }

  private static void testCase(Writer out, ModelReport m, Severity threshold, ReportSettings settings)
      throws IOException {
    List<Finding> failing = m.findings().stream().filter(f -> f.severity().atLeast(threshold)).toList();
    List<Finding> other = m.findings().stream().filter(f -> !f.severity().atLeast(threshold)).toList();
    out.write("    <testcase classname=\"" + attr(settings.toolName() + ".validate" + (m.format().isEmpty() ? ""
        : "." + m.format())) + "\" name=\"" + attr(m.file()) + "\" time=\"" + seconds(m.elapsed().toNanos()) + "\"");
    if (failing.isEmpty() && other.isEmpty()) {
      out.write("/>\n");
      return;
    }
    out.write(">\n");
    if (!failing.isEmpty()) {
      Finding first = failing.get(0);
      String message = Summary.count(failing.size(), "finding") + " at or above " + Summary.severityName(threshold)
          + ", first: [" + first.ruleId() + "] " + first.message();
      out.write("      <failure type=\"" + Summary.severityName(first.severity()) + "\" message=\"" + attr(message) + "\">");
      out.write(text(lines(failing, m)));
      out.write("</failure>\n");
    }
    if (!other.isEmpty()) {
      out.write("      <system-out>" + text(lines(other, m)) + "</system-out>\n");
    }
    out.write("    </testcase>\n");
  }

  private static String lines(List<Finding> findings, ModelReport m) {
    StringBuilder b = new StringBuilder();
    for (Finding f : findings) {
      b.append(TextReport.line(f, m)).append('\n');
    }
    return b.toString();
  }

  private static void property(Writer out, String name, String value) throws IOException {
    out.write("      <property name=\"" + attr(name) + "\" value=\"" + attr(value) + "\"/>\n");
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.3f", nanos / 1e9);
  }

  /** Text content: markup characters escaped, characters XML 1.0 cannot hold replaced. */
  static String text(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        default -> b.append(allowed(c) ? c : '\uFFFD');
      }
    }
    return b.toString();
  }

  /** An attribute value: as text, plus quotes and line breaks (which attributes would fold to spaces). */
  static String attr(String s) {
    return text(s).replace("\"", "&quot;").replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;");
  }

  private static boolean allowed(char c) {
    return c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
        || Character.isSurrogate(c);
  }
}
