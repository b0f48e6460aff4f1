package dev.modelbridge.validate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.ModelIOException;
import dev.modelbridge.json.Json;
import dev.modelbridge.validate.Finding;
import dev.modelbridge.validate.Location;
import dev.modelbridge.validate.ModelReport;
import dev.modelbridge.validate.Severity;
import dev.modelbridge.validate.ValidationReport;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ReportFormatTest {
  private static final Path BASE = Path.of("/srv/project");
  private static final ReportSettings SETTINGS = new ReportSettings("modelbridge", "1.2.3", "https://example.org/mb",
      Severity.ERROR, BASE);

  /** bad.onnx: an error and a warning; warn.onnx: a warning; ok.onnx: nothing. */
  static ValidationReport sample() {
    Location bad = Location.ofFile("models/bad.onnx").inGraph("main").atNode("'conv1' (Conv)");
    ModelReport m1 = new ModelReport("models/bad.onnx", "onnx", List.of(
        new Finding("hygiene.unused-input", Severity.WARNING, bad.inGraph("main").atField("input 'z'"),
            "graph input 'z' is never read"),
        new Finding("graph.undefined-input", Severity.ERROR, bad.atField("input 1 'W'"),
            "input 1 'W' of Conv is defined nowhere <&\"quoted\">")), Duration.ofMillis(12));
    ModelReport m2 = new ModelReport("models/sub dir/warn.onnx", "onnx", List.of(
        new Finding("tensor.nan-inf", Severity.WARNING,
            Location.ofFile("models/sub dir/warn.onnx").inGraph("main").atField("initializer 'w'"),
            "initializer 'w' holds 2 NaN values")), Duration.ofMillis(3));
    ModelReport m3 = new ModelReport("models/ok.onnx", "onnx", List.of(), Duration.ofMillis(1));
    List<ValidationReport.RuleInfo> rules = List.of(
        new ValidationReport.RuleInfo("graph.undefined-input", Severity.ERROR, "A node input is defined nowhere."),
        new ValidationReport.RuleInfo("hygiene.unused-input", Severity.WARNING, "A graph input is never read."),
        new ValidationReport.RuleInfo("tensor.nan-inf", Severity.WARNING, "Float weights hold NaN or Inf."));
    return new ValidationReport(List.of(m1, m2, m3), rules, Duration.ofMillis(20));
  }

  @Test
  void textHasOneLinePerFindingAndASummary() throws Exception {
    String text = render(ReportFormat.TEXT, SETTINGS);
    assertEquals(String.join("\n",
        "models/bad.onnx: graph 'main': node 'conv1' (Conv): input 1 'W': error: input 1 'W' of Conv is defined nowhere"
            + " <&\"quoted\"> [graph.undefined-input]",
        "models/bad.onnx: graph 'main': input 'z': warning: graph input 'z' is never read [hygiene.unused-input]",
        "models/sub dir/warn.onnx: graph 'main': initializer 'w': warning: initializer 'w' holds 2 NaN values"
            + " [tensor.nan-inf]",
        "3 models checked in 0.02 s: 2 valid, 1 invalid; 1 error, 2 warnings, 0 notes; failing on error: FAILED",
        ""), text);
  }

  @Test
  @SuppressWarnings("unchecked")
  void jsonHasTheDocumentedStructure() throws Exception {
    Map<String, Object> root = (Map<String, Object>) Json.parse(render(ReportFormat.JSON, SETTINGS));
    assertEquals(List.of("tool", "version", "reportVersion", "failOn", "models", "summary"), List.copyOf(root.keySet()));
    assertEquals("1.2.3", root.get("version"));
    List<Map<String, Object>> models = (List<Map<String, Object>>) root.get("models");
    assertEquals(3, models.size());
    Map<String, Object> bad = models.get(0);
    assertEquals(false, bad.get("valid"));
    assertEquals(Map.of("error", 1L, "warning", 1L, "info", 0L), bad.get("counts"));
    Map<String, Object> first = ((List<Map<String, Object>>) bad.get("findings")).get(0);
    assertEquals("graph.undefined-input", first.get("ruleId"));
    assertEquals("error", first.get("severity"));
    assertEquals(Map.of("file", "models/bad.onnx", "graph", "main", "node", "'conv1' (Conv)", "field", "input 1 'W'"),
        first.get("location"));
    Map<String, Object> summary = (Map<String, Object>) root.get("summary");
    assertEquals(3L, summary.get("models"));
    assertEquals(2L, summary.get("valid"));
    assertEquals(1L, summary.get("errors"));
    assertEquals(2L, summary.get("warnings"));
    assertEquals(true, summary.get("failed"));
  }

  @Test
  void junitHasOneCasePerModelAndFailsAtTheThreshold() throws Exception {
    Document doc = xml(render(ReportFormat.JUNIT, SETTINGS));
    NodeList suites = doc.getElementsByTagName("testsuite");
    assertEquals(1, suites.getLength());
    assertEquals("3", ((Element) suites.item(0)).getAttribute("tests"));
    assertEquals("1", ((Element) suites.item(0)).getAttribute("failures"));
    NodeList cases = doc.getElementsByTagName("testcase");
    assertEquals(3, cases.getLength());
    Element bad = (Element) cases.item(0);
    assertEquals("models/bad.onnx", bad.getAttribute("name"));
    Element failure = (Element) bad.getElementsByTagName("failure").item(0);
    assertTrue(failure.getTextContent().contains("defined nowhere <&\"quoted\"> [graph.undefined-input]"),
        failure.getTextContent());
    assertTrue(failure.getAttribute("message").startsWith("1 finding at or above error, first: [graph.undefined-input]"));
    assertTrue(bad.getElementsByTagName("system-out").item(0).getTextContent().contains("hygiene.unused-input"));
    Element warn = (Element) cases.item(1);
    assertEquals(0, warn.getElementsByTagName("failure").getLength());
    assertEquals(1, warn.getElementsByTagName("system-out").getLength());
    assertEquals(0, ((Element) cases.item(2)).getChildNodes().getLength());

    Document strict = xml(render(ReportFormat.JUNIT, SETTINGS.withFailOn(Severity.WARNING)));
    assertEquals("2", ((Element) strict.getElementsByTagName("testsuite").item(0)).getAttribute("failures"));
    assertEquals(1, ((Element) strict.getElementsByTagName("testcase").item(1)).getElementsByTagName("failure").getLength());
  }

  @Test
  @SuppressWarnings("unchecked")
  void sarifListsRulesAndLocatesResults() throws Exception {
    Map<String, Object> root = (Map<String, Object>) Json.parse(render(ReportFormat.SARIF, SETTINGS));
    assertEquals("2.1.0", root.get("version"));
    Map<String, Object> run = ((List<Map<String, Object>>) root.get("runs")).get(0);
    Map<String, Object> driver = (Map<String, Object>) ((Map<String, Object>) run.get("tool")).get("driver");
    assertEquals("modelbridge", driver.get("name"));
    assertEquals("https://example.org/mb", driver.get("informationUri"));
    List<Map<String, Object>> rules = (List<Map<String, Object>>) driver.get("rules");
    assertEquals(List.of("graph.undefined-input", "hygiene.unused-input", "tensor.nan-inf", "format.invalid",
        "format.unsupported", "tensor.external-data-unsafe", "io.unreadable", "validator.internal"),
        rules.stream().map(r -> r.get("id")).toList());
    List<Map<String, Object>> results = (List<Map<String, Object>>) run.get("results");
    assertEquals(3, results.size());
    Map<String, Object> first = results.get(0);
    assertEquals("graph.undefined-input", first.get("ruleId"));
    assertEquals(0L, first.get("ruleIndex"));
    assertEquals("error", first.get("level"));
    assertEquals("graph 'main': node 'conv1' (Conv): input 1 'W': input 1 'W' of Conv is defined nowhere <&\"quoted\">",
        ((Map<String, Object>) first.get("message")).get("text"));
    Map<String, Object> location = ((List<Map<String, Object>>) first.get("locations")).get(0);
    Map<String, Object> artifact = (Map<String, Object>) ((Map<String, Object>) location.get("physicalLocation"))
        .get("artifactLocation");
    assertEquals(Map.of("uri", "models/bad.onnx", "uriBaseId", "%SRCROOT%"), artifact);
    List<Map<String, Object>> logical = (List<Map<String, Object>>) location.get("logicalLocations");
    assertEquals(List.of("main", "main/'conv1' (Conv)", "main/'conv1' (Conv)/input 1 'W'"),
        logical.stream().map(l -> l.get("fullyQualifiedName")).toList());
    assertEquals("warning", results.get(1).get("level"));
    Map<String, Object> warnLocation = ((List<Map<String, Object>>) results.get(2).get("locations")).get(0);
    assertEquals("models/sub%20dir/warn.onnx", ((Map<String, Object>) ((Map<String, Object>)
        warnLocation.get("physicalLocation")).get("artifactLocation")).get("uri"));
    assertEquals("file:///srv/project/", ((Map<String, Object>) ((Map<String, Object>) run.get("originalUriBaseIds"))
        .get("%SRCROOT%")).get("uri"));
  }

  @Test
  void relativeUrisClimbOutOfTheBaseWhenTheyMust() {
    assertEquals("../shared/corpus/m.onnx", SarifReport.relativeUri("/srv/shared/corpus/m.onnx", Path.of("/srv/project")));
    assertEquals("./a:b.onnx", SarifReport.relativeUri("a:b.onnx", Path.of("/srv/project")));
  }

  @Test
  void writeToReplacesAtomicallyAndLeavesNoTemporaries(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("reports/r.sarif");
    ReportFormat.SARIF.writeTo(sample(), SETTINGS, out);
    ReportFormat.SARIF.writeTo(sample(), SETTINGS, out);
    assertTrue(Files.readString(out).contains("\"version\": \"2.1.0\""));
    try (Stream<Path> files = Files.list(out.getParent())) {
      assertEquals(List.of(out), files.toList());
    }
    Path blocked = Files.writeString(dir.resolve("file"), "x");
    ModelIOException e = assertThrows(ModelIOException.class,
        () -> ReportFormat.JSON.writeTo(sample(), SETTINGS, blocked.resolve("r.json")));
    assertTrue(e.getMessage().contains("r.json"), e.getMessage());
  }

  @Test
  void formatsFromFileNames() {
    assertEquals(ReportFormat.SARIF, ReportFormat.forFileName("x.sarif").orElseThrow());
    assertEquals(ReportFormat.SARIF, ReportFormat.forFileName("x.SARIF.json").orElseThrow());
    assertEquals(ReportFormat.JUNIT, ReportFormat.forFileName("TEST-models.xml").orElseThrow());
    assertEquals(ReportFormat.JSON, ReportFormat.forFileName("r.json").orElseThrow());
    assertFalse(ReportFormat.forFileName("report").isPresent());
  }

  private static String render(ReportFormat format, ReportSettings settings) throws Exception {
    StringWriter out = new StringWriter();
    format.write(sample(), settings, out);
    return out.toString();
  }

  private static Document xml(String text) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }
}
