package dev.modelbridge.json;

import java.util.regex.Pattern;

/** Scalars of {@link SimpleYaml}: quoted strings, and plain ones resolved as YAML 1.2's core schema does. */
final class YamlScalars {
  private static final Pattern INTEGER = Pattern.compile("[-+]?[0-9]+");
  private static final Pattern FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");

  private YamlScalars() {}

  /** A scalar at {@code line}: quoted, or plain and resolved. */
  static Object scalar(String s, int line) {
    if (s.isEmpty()) {
      return null;
    }
    char c = s.charAt(0);
    if (c == '"' || c == '\'') {
      int end = closingQuote(s, 0, line);
      if (end != s.length() - 1) {
        throw new Json.SyntaxException(line, 0, "unexpected text after the quoted string " + s.substring(0, end + 1));
      }
      return unquote(s.substring(0, end + 1));
    }
    if ("&*!|>%@`".indexOf(c) >= 0) {
      throw new Json.SyntaxException(line, 0, "'" + c + "' (anchors, aliases, tags, block scalars) is not supported here");
    }
    return resolve(s);
  }

  static Object resolve(String s) {
    switch (s) {
      case "~", "null", "Null", "NULL":
        return null;
      case "true", "True", "TRUE":
        return Boolean.TRUE;
      case "false", "False", "FALSE":
        return Boolean.FALSE;
      default:
        break;
    }
    if (INTEGER.matcher(s).matches()) {
      try {
        return Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
      } catch (NumberFormatException tooBig) {
        return Double.parseDouble(s);
      }
    }
    if (FLOAT.matcher(s).matches()) {
      return Double.parseDouble(s);
    }
    return s;
  }

  static int closingQuote(String s, int open, int line) {
    char q = s.charAt(open);
    for (int i = open + 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (q == '"' && c == '\\') {
        i++;
      } else if (c == q) {
        if (q == '\'' && i + 1 < s.length() && s.charAt(i + 1) == '\'') {
          i++;
        } else {
          return i;
        }
      }
    }
    throw new Json.SyntaxException(line, 0, "unterminated quoted string");
  }

  static String unquote(String quoted) {
    String body = quoted.substring(1, quoted.length() - 1);
    if (quoted.charAt(0) == '\'') {
      return body.replace("''", "'");
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c != '\\' || i + 1 == body.length()) {
        b.append(c);
        continue;
      }
      char e = body.charAt(++i);
      b.append(switch (e) {
        case 'n' -> '\n';
        case 't' -> '\t';
        case 'r' -> '\r';
        case '0' -> '\0';
        default -> e;
      });
    }
    return b.toString();
  }
}
