package dev.modelbridge.e2e.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.modelbridge.cli.Main;
import dev.modelbridge.e2e.support.Corpus;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Issue 3, acceptance 3: {@code validate} over the whole shared corpus in one run, through the
 * command line, writing JUnit XML, SARIF and JSON; the reports are read back with independent
 * parsers and checked against their schemas (SARIF: the official OASIS 2.1.0 schema). The wall
 * time is printed, not asserted: the goal is under a minute on the two-core CI machine.
 */
class CorpusValidationTest {
  private static final Path OUT = Path.of("target", "validate-corpus");

  @Test
  void validatesTheWholeCorpusInOneRunAndWritesReportsThatParse() throws Exception {
    assumeTrue(Corpus.root().isPresent(), "shared corpus not found; skipping");
    Path corpus = Corpus.root().get();
    Files.createDirectories(OUT);
    Path junit = OUT.resolve("corpus.junit.xml");
    Path sarif = OUT.resolve("corpus.sarif");
    Path json = OUT.resolve("corpus.json");

    long start = System.nanoTime();
    int exit = Main.run("validate", corpus.toString(), "-o", junit.toString(),
        "--report", "sarif=" + sarif, "--report", "json=" + json);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT, "validate over %s: exit %d in %.1f s wall time (%d cores)%n", corpus, exit, seconds,
        Runtime.getRuntime().availableProcessors());
    assertNotEquals(2, exit, "validate must not fail with a usage or I/O error over the corpus");

    Set<String> onnxFiles = onnxFiles(corpus);
    Set<String> cases = junitCaseNames(junit);
    assertTrue(cases.containsAll(onnxFiles), "every ONNX file of the corpus has a test case; missing: "
        + onnxFiles.stream().filter(f -> !cases.contains(f)).limit(10).toList());

    ObjectMapper mapper = new ObjectMapper();
    JsonNode report = mapper.readTree(json.toFile());
    assertEquals(cases.size(), report.get("models").size(), "one JUnit test case per model of the JSON report");
    assertEquals(exit == 1, report.at("/summary/failed").asBoolean(), "exit code and report agree");
    assertNoSchemaErrors("JSON report", schema(SpecVersion.VersionFlag.V202012,
        "/dev/modelbridge/schemas/validation-report.schema.json").validate(report));

    JsonNode sarifLog = mapper.readTree(sarif.toFile());
    assertNoSchemaErrors("SARIF", schema(SpecVersion.VersionFlag.V7, "/sarif/sarif-schema-2.1.0.json").validate(sarifLog));
    long findings = 0;
    for (JsonNode m : report.get("models")) {
      findings += m.get("findings").size();
    }
    assertEquals(findings, sarifLog.at("/runs/0/results").size(), "one SARIF result per finding");

    System.out.printf(Locale.ROOT, "%d models: %d valid, %d invalid; %d errors, %d warnings%n",
        report.at("/summary/models").asLong(), report.at("/summary/valid").asLong(),
        report.at("/summary/invalid").asLong(), report.at("/summary/errors").asLong(),
        report.at("/summary/warnings").asLong());
    System.out.println("findings by rule: " + findingsByRule(report));
  }

  /**
   * The corpus run may have no findings yet; this one is made to have some of every kind a report
   * holds (policy findings at the model, graph, node and field level; an unreadable file), so that
   * the schemas check results, locations and logical locations too.
   */
  @Test
  void reportsWithFindingsMatchTheirSchemas() throws Exception {
    assumeTrue(Corpus.onnxBackendRoot().isPresent(), "shared corpus not found; skipping");
    Path simple = Corpus.onnxBackendRoot().get().resolve("simple");
    assumeTrue(Files.isDirectory(simple), "onnx-backend/simple not in the corpus; skipping");
    Path dir = Files.createDirectories(OUT.resolve("with-findings"));
    Path garbage = Files.write(dir.resolve("garbage model.onnx"), new byte[] {0x08, (byte) 0xff, 0x3a, 0x01});
    Path policy = Files.writeString(dir.resolve("policy.yaml"), String.join("\n",
        "opset: {max: 8}", "ops: {forbid: [Relu, Add]}", "domains: {allow: [ai.onnx]}", "maxModelBytes: 100",
        "requiredMetadata: [author]", "failOn: warning", ""));
    Path sarif = dir.resolve("findings.sarif");
    Path json = dir.resolve("findings.json");
    int exit = Main.run("validate", simple.toString(), garbage.toString(), "--policy", policy.toString(),
        "-o", sarif.toString(), "--report", "json=" + json);
    assertEquals(1, exit);
    ObjectMapper mapper = new ObjectMapper();
    JsonNode report = mapper.readTree(json.toFile());
    Map<String, Long> byRule = findingsByRule(report);
    System.out.println("findings by rule under a strict policy: " + byRule);
    assertTrue(byRule.keySet().containsAll(List.of("policy.opset-range", "policy.op-forbidden", "policy.model-size",
        "policy.metadata-missing", "format.invalid")), byRule.toString());
    assertNoSchemaErrors("JSON report with findings", schema(SpecVersion.VersionFlag.V202012,
        "/dev/modelbridge/schemas/validation-report.schema.json").validate(report));
    JsonNode sarifLog = mapper.readTree(sarif.toFile());
    assertNoSchemaErrors("SARIF with findings",
        schema(SpecVersion.VersionFlag.V7, "/sarif/sarif-schema-2.1.0.json").validate(sarifLog));
    assertTrue(sarifLog.at("/runs/0/results").size() > 20, "results to check");
  }

  private static Set<String> onnxFiles(Path corpus) throws Exception {
    try (Stream<Path> all = Files.walk(corpus)) {
      return all.filter(p -> p.getFileName().toString().endsWith(".onnx") && Files.isRegularFile(p))
          .map(Path::toString).collect(Collectors.toSet());
    }
  }

  private static Set<String> junitCaseNames(Path junit) throws Exception {
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile());
    assertEquals(1, doc.getElementsByTagName("testsuite").getLength(), "one test suite");
    NodeList cases = doc.getElementsByTagName("testcase");
    Set<String> names = new HashSet<>();
    for (int i = 0; i < cases.getLength(); i++) {
      String name = ((Element) cases.item(i)).getAttribute("name");
      assertTrue(names.add(name), "one test case per model; repeated: " + name);
    }
    Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
    assertEquals(names.size(), Integer.parseInt(suite.getAttribute("tests")));
    return names;
  }

  private static JsonSchema schema(SpecVersion.VersionFlag version, String resource) throws Exception {
    try (InputStream in = CorpusValidationTest.class.getResourceAsStream(resource)) {
      assertTrue(in != null, resource + " is on the test class path");
      return JsonSchemaFactory.getInstance(version).getSchema(in);
    }
  }

  private static void assertNoSchemaErrors(String what, Set<ValidationMessage> errors) {
    System.out.println(what + " schema validation: " + (errors.isEmpty() ? "valid" : errors.size() + " errors"));
    assertTrue(errors.isEmpty(), what + " does not match its schema: "
        + errors.stream().limit(20).map(ValidationMessage::toString).toList());
  }

  private static Map<String, Long> findingsByRule(JsonNode report) {
    Map<String, Long> byRule = new TreeMap<>();
    for (JsonNode m : report.get("models")) {
      for (JsonNode f : m.get("findings")) {
        byRule.merge(f.get("ruleId").asText(), 1L, Long::sum);
      }
    }
    return byRule;
  }

}
