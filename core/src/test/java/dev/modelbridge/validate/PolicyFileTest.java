package dev.modelbridge.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.ModelIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyFileTest {
  private static final String YAML = String.join("\n",
      "opset: {min: 11, max: 17}",
      "ops:",
      "  forbid: [LSTM, 'com.microsoft:Attention']",
      "domains:",
      "  allow: [ai.onnx, '']",
      "maxModelBytes: 2 MiB",
      "requiredMetadata: [author]",
      "failOn: warning",
      "strict: true",
      "severity:",
      "  policy.metadata-missing: warning",
      "");

  @Test
  void yamlAndJsonGiveTheSamePolicy(@TempDir Path dir) throws Exception {
    Path yaml = Files.writeString(dir.resolve("p.yaml"), YAML);
    Path json = Files.writeString(dir.resolve(PolicyFile.DEFAULT_NAME), """
        {"opset": {"min": 11, "max": 17},
         "ops": {"forbid": ["LSTM", "com.microsoft:Attention"]},
         "domains": {"allow": ["ai.onnx", ""]},
         "maxModelBytes": 2097152,
         "requiredMetadata": ["author"],
         "failOn": "warning", "strict": true,
         "severity": {"policy.metadata-missing": "warning"}}
        """);
    Policy expected = new Policy(OptionalLong.of(11), OptionalLong.of(17), Set.of(),
        Set.of("LSTM", "com.microsoft:Attention"), Set.of("ai.onnx"), Set.of(), OptionalLong.of(2 * 1024 * 1024),
        List.of("author"), Severity.WARNING, Map.of("policy.metadata-missing", Severity.WARNING), true);
    assertEquals(expected, PolicyFile.load(yaml));
    assertEquals(expected, PolicyFile.load(json));
    assertEquals(json, PolicyFile.find(dir).orElseThrow());
  }

  @Test
  void anEmptyFileIsTheDefaultPolicy(@TempDir Path dir) throws Exception {
    assertEquals(Policy.defaults(), PolicyFile.load(Files.writeString(dir.resolve("p.yml"), "# nothing yet\n")));
    assertEquals(Policy.defaults(), PolicyFile.load(Files.writeString(dir.resolve("p.json"), "{}")));
    assertFalse(PolicyFile.find(dir.resolve("nowhere")).isPresent());
  }

  @Test
  void sizesTakeUnits() throws Exception {
    assertEquals(OptionalLong.of(500_000_000), parse("maxModelBytes: 500 MB").maxModelBytes());
    assertEquals(OptionalLong.of(3L << 30), parse("maxModelBytes: 3GiB").maxModelBytes());
    assertEquals(OptionalLong.of(1000), parse("maxModelBytes: 1000").maxModelBytes());
  }

  @Test
  void errorsNameTheFileAndTheKey() {
    assertFails("opsets: {min: 1}", "key 'opsets': unknown key");
    assertFails("opset: {min: seven}", "key 'opset.min': must be a positive integer, got \"seven\"");
    assertFails("opset: {min: 18, max: 17}", "key 'opset': min 18 is above max 17");
    assertFails("opset: {low: 1}", "key 'opset.low': unknown key");
    assertFails("ops: {forbid: LSTM}", "key 'ops.forbid': must be a list of strings");
    assertFails("failOn: fatal", "key 'failOn': must be error, warning or info");
    assertFails("strict: yes please", "key 'strict': must be true or false");
    assertFails("maxModelBytes: big", "key 'maxModelBytes': must be a positive number of bytes");
    assertFails("severity: {no.such-rule: error}", "key 'severity.no.such-rule': unknown rule id");
    assertFails("opset: [1", "not valid YAML");
  }

  @Test
  void jsonSyntaxErrorsNameTheLine(@TempDir Path dir) throws Exception {
    Path p = Files.writeString(dir.resolve("policy.json"), "{\n  \"strict\": tru\n}");
    PolicyException e = assertThrows(PolicyException.class, () -> PolicyFile.load(p));
    assertTrue(e.getMessage().startsWith(p + ": not valid JSON: line 2"), e.getMessage());
  }

  @Test
  void aMissingFileIsAnIoError(@TempDir Path dir) {
    ModelIOException e = assertThrows(ModelIOException.class, () -> PolicyFile.load(dir.resolve("absent.yaml")));
    assertTrue(e.getMessage().contains("absent.yaml"), e.getMessage());
  }

  private static Policy parse(String yaml) throws PolicyException {
    return PolicyFile.parse(yaml, Path.of("policy.yaml"));
  }

  private static void assertFails(String yaml, String expected) {
    PolicyException e = assertThrows(PolicyException.class, () -> parse(yaml));
    assertTrue(e.getMessage().startsWith("policy.yaml: "), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
