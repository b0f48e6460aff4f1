package dev.modelbridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelbridge.api.ModelBridge;
import dev.modelbridge.format.StagedOutput;
import dev.modelbridge.format.WriteOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code validate} and {@code rules} as CI meets them: exit codes, report files, messages. */
class ValidateCommandTest {
  @TempDir Path dir;

  private Path model(String relative) throws Exception {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    try (StagedOutput s = new StagedOutput(file, false)) {
      ModelBridge.create().formats().byId("onnx").write(CliTest.mlp(), s, WriteOptions.defaults());
      s.commit();
    }
    return file;
  }

  private Path garbage(String relative) throws Exception {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    return Files.write(file, new byte[] {0x08, (byte) 0xff, (byte) 0xff, 0x7f, 0x3a, 0x05});
  }

  @Test
  void aValidModelExitsZeroWithATextSummary() throws Exception {
    CliTest.Run r = CliTest.run("validate", model("m.onnx").toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().startsWith("1 model checked in "), r.out());
    assertTrue(r.out().strip().endsWith("failing on error: PASSED"), r.out());
  }

  @Test
  void anUnreadableModelExitsOneWithItsFinding() throws Exception {
    model("models/good.onnx");
    Path bad = garbage("models/sub/bad.onnx");
    Files.writeString(dir.resolve("models/notes.txt"), "not a model");
    CliTest.Run r = CliTest.run("validate", dir.resolve("models").toString(), "--threads", "2");
    assertEquals(1, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains(bad + ": error: "), r.out());
    assertTrue(r.out().contains("[format.invalid]"), r.out());
    assertTrue(r.out().contains("2 models checked"), r.out());
    assertTrue(r.out().contains("1 valid, 1 invalid"), r.out());
  }

  @Test
  void missingPathsAndBadOptionsExitTwo() throws Exception {
    Path m = model("m.onnx");
    CliTest.Run r = CliTest.run("validate", m.toString(), dir.resolve("absent.onnx").toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("absent.onnx: no such file or folder"), r.err());
    assertEquals(2, CliTest.run("validate", m.toString(), "--format", "html").exit());
    assertEquals(2, CliTest.run("validate", m.toString(), "--fail-on", "info").exit());
    assertEquals(2, CliTest.run("validate", m.toString(), "--threads", "0").exit());
    assertEquals(2, CliTest.run("validate", m.toString(), "--report", "sarif").exit());
    assertEquals(2, CliTest.run("validate").exit());
  }

  @Test
  void policyFilesDecideWhatFails() throws Exception {
    Path m = model("m.onnx");
    Path forbid = Files.writeString(dir.resolve("policy.yaml"), "ops:\n  forbid: [Relu]\n");
    CliTest.Run r = CliTest.run("validate", m.toString(), "--policy", forbid.toString());
    assertEquals(1, r.exit(), r.out());
    assertTrue(r.out().contains("error: op Relu is forbidden by the policy [policy.op-forbidden]"), r.out());

    Path soft = Files.writeString(dir.resolve("soft.json"),
        "{\"ops\": {\"forbid\": [\"Relu\"]}, \"severity\": {\"policy.op-forbidden\": \"warning\"}}");
    assertEquals(0, CliTest.run("validate", m.toString(), "--policy", soft.toString()).exit());
    assertEquals(1, CliTest.run("validate", m.toString(), "--policy", soft.toString(), "--fail-on", "warning").exit());
  }

  @Test
  void aBadPolicyFileExitsTwoNamingFileAndKey() throws Exception {
    Path m = model("m.onnx");
    Path bad = Files.writeString(dir.resolve("policy.yml"), "opset:\n  minimum: 7\n");
    CliTest.Run r = CliTest.run("validate", m.toString(), "--policy", bad.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains(bad + ": key 'opset.minimum': unknown key"), r.err());
    assertEquals(2, CliTest.run("validate", m.toString(), "--policy", dir.resolve("none.yml").toString()).exit());
  }

  @Test
  void reportsGoToFilesWithAOneLineSummary() throws Exception {
    Path m = model("m.onnx");
    garbage("bad.onnx");
    Path sarif = dir.resolve("out/models.sarif");
    Path junit = dir.resolve("out/models.xml");
    Path json = dir.resolve("out/models.json");
    CliTest.Run r = CliTest.run("validate", m.toString(), dir.resolve("bad.onnx").toString(), "-o", sarif.toString(),
        "--report", "junit=" + junit, "--report", "JSON=" + json);
    assertEquals(1, r.exit(), r.err());
    assertEquals(1, r.out().lines().count(), r.out());
    assertTrue(r.out().contains("2 models checked") && r.out().contains("(report: " + sarif + ")"), r.out());
    ObjectMapper mapper = new ObjectMapper();
    JsonNode s = mapper.readTree(sarif.toFile());
    assertEquals("2.1.0", s.get("version").asText());
    assertEquals("format.invalid", s.at("/runs/0/results/0/ruleId").asText());
    assertTrue(Files.readString(junit).contains("<testcase"), "JUnit report written");
    assertEquals(1, mapper.readTree(json.toFile()).at("/summary/invalid").asInt());
    try (Stream<Path> files = Files.list(dir.resolve("out"))) {
      assertEquals(3, files.count(), "no temporary files remain");
    }
  }

  @Test
  void anUnwritableReportExitsTwo() throws Exception {
    Path m = model("m.onnx");
    Path blocker = Files.writeString(dir.resolve("blocker"), "a file, not a folder");
    CliTest.Run r = CliTest.run("validate", m.toString(), "-o", blocker.resolve("r.json").toString());
    assertEquals(2, r.exit(), r.out());
    assertTrue(r.err().contains("r.json"), r.err());
  }

  @Test
  void jsonGoesToStandardOutputWhenAsked() throws Exception {
    CliTest.Run r = CliTest.run("validate", model("m.onnx").toString(), "--format", "json");
    assertEquals(0, r.exit(), r.err());
    JsonNode root = new ObjectMapper().readTree(r.out());
    assertEquals("modelbridge", root.get("tool").asText());
    assertTrue(root.at("/models/0/valid").asBoolean());
  }

  @Test
  void rulesListsEveryRuleAndReadFailure() throws Exception {
    CliTest.Run text = CliTest.run("rules");
    assertEquals(0, text.exit(), text.err());
    assertTrue(text.out().lines().anyMatch(l -> l.startsWith("policy.opset-range") && l.contains("error")), text.out());
    assertTrue(text.out().lines().anyMatch(l -> l.startsWith("format.invalid")), text.out());
    CliTest.Run json = CliTest.run("rules", "--json");
    JsonNode rules = new ObjectMapper().readTree(json.out());
    List<String> ids = new java.util.ArrayList<>();
    rules.forEach(n -> ids.add(n.get("id").asText()));
    assertTrue(ids.containsAll(List.of("policy.op-forbidden", "policy.model-size", "io.unreadable")), ids.toString());
    assertEquals(ids.size(), ids.stream().distinct().count(), "ids are unique");
  }

  @Test
  void helpListsValidateAndRules() {
    CliTest.Run r = CliTest.run("--help");
    assertTrue(r.out().contains("validate"), r.out());
    assertTrue(r.out().contains("rules"), r.out());
    CliTest.Run v = CliTest.run("validate", "--help");
    assertTrue(v.out().contains("--fail-on") && v.out().contains("Exit codes"), v.out());
    assertFalse(v.out().contains("Not built yet"), v.out());
  }
}
