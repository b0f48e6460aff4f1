package dev.modelbridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code modelbridge ops} as a user meets it. */
class OpsCommandTest {

  @Test
  void listsEveryOnnxOperatorWithItsVersionsAndACount() {
    CliTest.Run r = CliTest.run("ops", "--onnx");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("ai.onnx (opsets 1 to 28)"), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.matches("\\s+Conv\\s+1, 11, 22")), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.matches("\\s+Upsample\\s+1, 7, 9, 10 \\(removed\\)")), r.out());
    assertTrue(r.out().contains("ai.onnx.ml (opsets 1 to 4)"), r.out());
    assertTrue(r.out().contains("ai.onnx.preview.training"), r.out());
    assertTrue(r.out().strip().endsWith("226 operators, 639 versions"), r.out());
  }

  @Test
  void opsetGivesTheVersionInForce() {
    CliTest.Run r = CliTest.run("ops", "--onnx", "--opset", "17");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().lines().anyMatch(l -> l.matches("\\s+Conv\\s+11\\s+\\(versions 1, 11, 22\\)")), r.out());
    assertFalse(r.out().contains("Gelu"), "Gelu comes with opset 20");
    assertFalse(r.out().contains("Upsample"), "Upsample was removed at opset 10");
    // python3-onnx 1.12: 176 non-deprecated ai.onnx operators at opset 17.
    assertTrue(r.out().strip().endsWith("176 operators at opset 17"), r.out());
  }

  @Test
  void jsonForOneDomain() throws Exception {
    CliTest.Run r = CliTest.run("ops", "--onnx", "--domain", "ai.onnx.ml", "--opset", "2", "--json");
    assertEquals(0, r.exit(), r.err());
    JsonNode doc = new ObjectMapper().readTree(r.out());
    assertEquals(2, doc.get("opset").asInt());
    assertEquals(18, doc.get("count").asInt());
    List<String> names = new ArrayList<>();
    for (JsonNode op : doc.get("operators")) {
      assertEquals("ai.onnx.ml", op.get("domain").asText());
      names.add(op.get("name").asText());
      if ("LabelEncoder".equals(op.get("name").asText())) {
        assertEquals(2, op.get("versionInForce").asInt());
        assertEquals("[1,2,4]", op.get("sinceVersions").toString());
      }
    }
    assertTrue(names.contains("ZipMap"), names::toString);
  }

  @Test
  void defaultDomainHasTwoSpellings() {
    assertEquals(CliTest.run("ops", "--onnx", "--domain", "").out(),
        CliTest.run("ops", "--onnx", "--domain", "ai.onnx").out());
  }

  @Test
  void tensorflowListsTheConvertersOpTable() throws Exception {
    CliTest.Run r = CliTest.run("ops", "--tensorflow", "--json");
    assertEquals(0, r.exit(), r.err());
    com.fasterxml.jackson.databind.JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
    List<String> ops = new java.util.ArrayList<>();
    doc.get("operators").forEach(n -> ops.add(n.asText()));
    assertEquals(doc.get("count").asInt(), ops.size());
    assertTrue(ops.containsAll(List.of("Conv2D", "MatMul", "FusedBatchNormV3", "Softmax", "ConcatV2")), ops::toString);
  }

  @Test
  void savedModelWriterTableListsTheHandlers() {
    CliTest.Run r = CliTest.run("ops", "--savedmodel");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("Conv (since 1)"), r.out());
    assertTrue(r.out().contains("Softmax (since 1, 13)"), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.matches("\\d+ operators")), r.out());
  }

  @Test
  void badUsageExitsWithTwoAndOneLine() {
    CliTest.Run unknown = CliTest.run("ops", "--onnx", "--domain", "com.example");
    assertEquals(2, unknown.exit());
    assertTrue(unknown.err().contains("no operator schemas for domain 'com.example'"), unknown.err());
    assertEquals(1, unknown.err().strip().lines().count(), unknown.err());
    assertEquals(2, CliTest.run("ops", "--onnx", "--opset", "0").exit());
    assertEquals(2, CliTest.run("ops").exit(), "a format is required");
    assertEquals(2, CliTest.run("ops", "--onnx", "--tensorflow").exit(), "one format at a time");
  }

  @Test
  void opsIsListedInTheHelp() {
    assertTrue(CliTest.run("--help").out().contains("ops "), "ops is no longer hidden");
  }
}
