package dev.modelbridge.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void writesWhatItReadsBack() {
    StringWriter out = new StringWriter();
    JsonWriter w = new JsonWriter(out);
    w.beginObject()
        .field("s", "a \"quoted\"\\ line\nwith\ttab and \u0001")
        .field("n", -42)
        .name("d").value(1.5)
        .field("b", true)
        .name("z").nullValue()
        .name("empty").beginArray().endArray()
        .name("list").beginArray().value("x").value(2).beginObject().endObject().endArray()
        .endObject().finish();
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) Json.parse(out.toString());
    assertEquals("a \"quoted\"\\ line\nwith\ttab and \u0001", m.get("s"));
    assertEquals(-42L, m.get("n"));
    assertEquals(1.5, m.get("d"));
    assertEquals(Boolean.TRUE, m.get("b"));
    assertTrue(m.containsKey("z"));
    assertNull(m.get("z"));
    assertEquals(List.of(), m.get("empty"));
    assertEquals(List.of("x", 2L, Map.of()), m.get("list"));
    assertEquals(List.of("s", "n", "d", "b", "z", "empty", "list"), List.copyOf(m.keySet()));
  }

  @Test
  void indentsTwoSpaces() {
    StringWriter out = new StringWriter();
    new JsonWriter(out).beginObject().field("a", 1).name("b").beginArray().value(2).endArray().endObject().finish();
    assertEquals("{\n  \"a\": 1,\n  \"b\": [\n    2\n  ]\n}\n", out.toString());
  }

  @Test
  void readsEscapesAndNumbers() {
    assertEquals("é\u00e9/", Json.parse("\"\\u00e9é\\/\""));
    assertEquals(1e3, Json.parse(" 1e3 "));
    assertEquals(List.of(-0.5, 12345678901234L), Json.parse("[-0.5, 12345678901234]"));
  }

  @Test
  void errorsNameLineAndColumn() {
    Json.SyntaxException e = assertThrows(Json.SyntaxException.class, () -> Json.parse("{\n  \"a\": 1,\n  \"b\" 2\n}"));
    assertEquals(3, e.line());
    assertEquals(7, e.column());
    assertTrue(e.getMessage().contains("expected ':'"), e.getMessage());
    assertThrows(Json.SyntaxException.class, () -> Json.parse("{\"a\": 1, \"a\": 2}"));
    assertThrows(Json.SyntaxException.class, () -> Json.parse("[1, 2"));
    assertThrows(Json.SyntaxException.class, () -> Json.parse("{} x"));
    assertThrows(Json.SyntaxException.class, () -> Json.parse("tru"));
  }

  @Test
  void writerRefusesUnbalancedCalls() {
    JsonWriter w = new JsonWriter(new StringWriter());
    w.beginObject();
    assertThrows(IllegalStateException.class, w::finish);
    assertThrows(IllegalStateException.class, w::endArray);
  }
}
