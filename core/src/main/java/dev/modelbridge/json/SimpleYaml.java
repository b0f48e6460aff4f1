package dev.modelbridge.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the subset of YAML that configuration files need, into the same objects as {@link Json}:
 * block mappings and block sequences nested by indentation (spaces only), flow collections on
 * one line ({@code [a, b]}, {@code {min: 7, max: 17}}), plain, single- and double-quoted scalars,
 * and {@code #} comments. Plain scalars resolve as YAML 1.2's core schema does: {@code null},
 * {@code ~}, booleans, integers, floats, else strings.
 *
 * <p>Anchors and aliases, tags, block scalars ({@code |}, {@code >}), multi-line flow
 * collections, multiple documents and complex keys are refused with an error naming the line,
 * rather than read wrongly.
 */
public final class SimpleYaml {
  private record Line(int number, int indent, String text) {}

  private final List<Line> lines;
  private int next;

  private SimpleYaml(List<Line> lines) {
    this.lines = lines;
  }

  /**
   * Parses one YAML document of the supported subset; an empty document is {@code null}.
   *
   * @throws Json.SyntaxException naming the line of the first error
   */
  public static Object parse(String text) {
    SimpleYaml y = new SimpleYaml(lines(text));
    if (y.lines.isEmpty()) {
      return null;
    }
    Object v = y.block(y.lines.get(0).indent());
    if (y.next < y.lines.size()) {
      throw y.error(y.lines.get(y.next), "unexpected indentation");
    }
    return v;
  }

  private static List<Line> lines(String text) {
    List<Line> out = new ArrayList<>();
    String[] raw = text.split("\\r?\\n", -1);
    for (int n = 0; n < raw.length; n++) {
      String s = stripComment(raw[n]).stripTrailing();
      int indent = 0;
      while (indent < s.length() && (s.charAt(indent) == ' ' || s.charAt(indent) == '\t')) {
        if (s.charAt(indent) == '\t') {
          throw new Json.SyntaxException(n + 1, 0, "tab in indentation; indent with spaces");
        }
        indent++;
      }
      String content = s.substring(indent);
      if (content.isEmpty()) {
        continue;
      }
      if (indent == 0 && (content.equals("---") || content.equals("..."))) {
        if (!out.isEmpty()) {
          throw new Json.SyntaxException(n + 1, 0, "only one YAML document is supported");
        }
        continue;
      }
      if (content.startsWith("%") || content.startsWith("? ")) {
        throw new Json.SyntaxException(n + 1, 0, "directives and complex keys are not supported");
      }
      out.add(new Line(n + 1, indent, content));
    }
    return out;
  }

  /** The line without a comment: {@code #} at its start or after a space, outside quotes. */
  private static String stripComment(String s) {
    char quote = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (c == '\\' && quote == '"') {
          i++;
        }
      } else if (c == '"' || c == '\'') {
        if (i == 0 || " [{,:-".indexOf(s.charAt(i - 1)) >= 0) {
          quote = c;
        }
      } else if (c == '#' && (i == 0 || s.charAt(i - 1) == ' ' || s.charAt(i - 1) == '\t')) {
        return s.substring(0, i);
      }
    }
    return s;
  }

  private Object block(int indent) {
    return isItem(lines.get(next).text()) ? sequence(indent) : mapping(indent);
  }

  private static boolean isItem(String text) {
    return text.equals("-") || text.startsWith("- ");
  }

  private List<Object> sequence(int indent) {
    List<Object> list = new ArrayList<>();
    while (next < lines.size() && lines.get(next).indent() == indent && isItem(lines.get(next).text())) {
      Line l = lines.get(next);
      String rest = l.text().substring(1).strip();
      if (rest.isEmpty()) {
        next++;
        list.add(next < lines.size() && lines.get(next).indent() > indent ? block(lines.get(next).indent()) : null);
      } else if (keySeparator(rest) >= 0 || isItem(rest)) {
        // "- key: value" opens a mapping (or "- - x" a list) whose column is that of "key".
        int column = indent + l.text().indexOf(rest);
        lines.set(next, new Line(l.number(), column, rest));
        list.add(block(column));
      } else {
        next++;
        list.add(inline(rest, l));
      }
    }
    return list;
  }

  private Map<String, Object> mapping(int indent) {
    Map<String, Object> map = new LinkedHashMap<>();
    while (next < lines.size() && lines.get(next).indent() == indent) {
      Line l = lines.get(next);
      if (isItem(l.text())) {
        throw error(l, "a list item where a 'key: value' line was expected");
      }
      int sep = keySeparator(l.text());
      if (sep < 0) {
        throw error(l, "expected 'key: value', found '" + l.text() + "'");
      }
      Object keyValue = scalar(l.text().substring(0, sep).strip(), l);
      String key = keyValue == null ? "null" : keyValue.toString();
      if (map.containsKey(key)) {
        throw error(l, "duplicate key '" + key + "'");
      }
      String rest = l.text().substring(sep + 1).strip();
      next++;
      Object value;
      if (!rest.isEmpty()) {
        value = inline(rest, l);
      } else if (next < lines.size() && lines.get(next).indent() > indent) {
        value = block(lines.get(next).indent());
      } else if (next < lines.size() && lines.get(next).indent() == indent && isItem(lines.get(next).text())) {
        value = sequence(indent);
      } else {
        value = null;
      }
      map.put(key, value);
    }
    return map;
  }

  /** The index of the ':' that ends a mapping key (followed by a space or the end), or -1. */
  private static int keySeparator(String text) {
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if ((c == '"' || c == '\'') && i == 0) {
        quote = c;
      } else if ((c == '[' || c == '{') && i == 0) {
        return -1;
      } else if (c == ':' && (i + 1 == text.length() || text.charAt(i + 1) == ' ')) {
        return i;
      }
    }
    return -1;
  }

  private Object inline(String text, Line l) {
    char c = text.charAt(0);
    if (c == '[' || c == '{') {
      return YamlFlow.parse(text, l.number());
    }
    return scalar(text, l);
  }

  private Object scalar(String s, Line l) {
    return YamlScalars.scalar(s, l.number());
  }

  private Json.SyntaxException error(Line l, String what) {
    return new Json.SyntaxException(l.number(), 0, what);
  }

}
