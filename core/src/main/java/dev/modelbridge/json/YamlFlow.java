package dev.modelbridge.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A flow collection of {@link SimpleYaml} ({@code [a, b]}, {@code {k: v}}), which must close on its line. */
final class YamlFlow {
  private final String text;
  private final int line;
  private int pos;

  private YamlFlow(String text, int line) {
    this.text = text;
    this.line = line;
  }

  /** Parses {@code text}, which must be one whole flow collection. */
  static Object parse(String text, int line) {
    YamlFlow f = new YamlFlow(text, line);
    Object v = f.value();
    f.skipSpace();
    if (f.pos < text.length()) {
      throw f.error("unexpected '" + text.substring(f.pos) + "' after a flow collection");
    }
    return v;
  }

  private Object value() {
    skipSpace();
    if (pos >= text.length()) {
      throw error("flow collections must close on the same line");
    }
    char c = text.charAt(pos);
    if (c == '[') {
      List<Object> list = new ArrayList<>();
      pos++;
      items(']', () -> list.add(value()));
      return list;
    }
    if (c == '{') {
      Map<String, Object> map = new LinkedHashMap<>();
      pos++;
      items('}', () -> {
        Object k = token(":,}");
        skipSpace();
        if (pos >= text.length() || text.charAt(pos) != ':') {
          throw error("expected ':' after the key '" + k + "' in a flow mapping");
        }
        pos++;
        String key = String.valueOf(k);
        if (map.containsKey(key)) {
          throw error("duplicate key '" + key + "'");
        }
        map.put(key, value());
      });
      return map;
    }
    return token(",]}");
  }

  private void items(char close, Runnable item) {
    skipSpace();
    if (pos < text.length() && text.charAt(pos) == close) {
      pos++;
      return;
    }
    while (true) {
      item.run();
      skipSpace();
      if (pos >= text.length()) {
        throw error("flow collections must close on the same line");
      }
      char c = text.charAt(pos++);
      if (c == close) {
        return;
      }
      if (c != ',') {
        throw error("expected ',' or '" + close + "' in a flow collection, found '" + c + "'");
      }
    }
  }

  /** A scalar ending before one of {@code stops} (outside quotes). */
  private Object token(String stops) {
    skipSpace();
    int start = pos;
    if (pos < text.length() && (text.charAt(pos) == '"' || text.charAt(pos) == '\'')) {
      pos = YamlScalars.closingQuote(text, pos, line) + 1;
      return YamlScalars.unquote(text.substring(start, pos));
    }
    while (pos < text.length() && stops.indexOf(text.charAt(pos)) < 0) {
      if (text.charAt(pos) == '[' || text.charAt(pos) == '{') {
        throw error("unexpected '" + text.charAt(pos) + "' in a flow collection");
      }
      pos++;
    }
    return YamlScalars.scalar(text.substring(start, pos).strip(), line);
  }

  private void skipSpace() {
    while (pos < text.length() && text.charAt(pos) == ' ') {
      pos++;
    }
  }

  private Json.SyntaxException error(String what) {
    return new Json.SyntaxException(line, 0, what);
  }
}
