package dev.modelbridge.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimpleYamlTest {

  @Test
  void readsNestedMapsListsAndScalars() {
    String yaml = String.join("\n",
        "# a policy",
        "---",
        "opset:",
        "  min: 11     # inclusive",
        "  max: 17",
        "ops:",
        "  forbid:",
        "    - LSTM",
        "    - 'com.microsoft:Attention'",
        "  allow: [Conv, Relu, \"Max Pool\"]",
        "domains: {allow: [ai.onnx, ai.onnx.ml], forbid: []}",
        "requiredMetadata:",
        "- author",
        "- \"license # not a comment\"",
        "strict: true",
        "ratio: 0.5",
        "nothing: ~",
        "empty:",
        "items:",
        "  - name: a",
        "    size: 1",
        "  - name: b",
        "",
        "text: plain words: with a colon-less tail");
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("opset", Map.of("min", 11L, "max", 17L));
    expected.put("ops", Map.of("forbid", List.of("LSTM", "com.microsoft:Attention"),
        "allow", List.of("Conv", "Relu", "Max Pool")));
    expected.put("domains", Map.of("allow", List.of("ai.onnx", "ai.onnx.ml"), "forbid", List.of()));
    expected.put("requiredMetadata", List.of("author", "license # not a comment"));
    expected.put("strict", true);
    expected.put("ratio", 0.5);
    expected.put("nothing", null);
    expected.put("empty", null);
    expected.put("items", List.of(Map.of("name", "a", "size", 1L), Map.of("name", "b")));
    expected.put("text", "plain words: with a colon-less tail");
    assertEquals(expected, SimpleYaml.parse(yaml));
  }

  @Test
  void readsTopLevelListsAndNestedLists() {
    assertEquals(List.of(List.of(1L, 2L), "x"), SimpleYaml.parse("- - 1\n  - 2\n- x\n"));
    assertNull(SimpleYaml.parse("# only a comment\n\n"));
    assertEquals(Arrays.asList("it's", "a\tb", null), SimpleYaml.parse("- 'it''s'\n- \"a\\tb\"\n- null"));
  }

  @Test
  void refusesWhatItDoesNotReadWithTheLine() {
    assertError("a: 1\n  b: 2\n", 2, "indentation");
    assertError("a:\n\tb: 2\n", 2, "tab");
    assertError("a: &x 1\n", 1, "anchors");
    assertError("a: |\n  text\n", 1, "block scalars");
    assertError("a: [1, 2\n", 1, "same line");
    assertError("a: 1\na: 2\n", 2, "duplicate key 'a'");
    assertError("just words\n", 1, "expected 'key: value'");
    assertError("a: 1\n---\nb: 2\n", 2, "one YAML document");
    assertError("a:\n  - x\n  y: 1\n", 3, "indentation");
  }

  private static void assertError(String yaml, int line, String fragment) {
    Json.SyntaxException e = assertThrows(Json.SyntaxException.class, () -> SimpleYaml.parse(yaml));
    assertEquals(line, e.line(), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }
}
