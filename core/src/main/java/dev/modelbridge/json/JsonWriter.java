package dev.modelbridge.json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * A small streaming JSON writer, indented two spaces, so that core can write reports without a
 * JSON library. Calls must nest properly: {@code name} only inside objects, values only after a
 * name or inside arrays. I/O errors surface as {@link UncheckedIOException}.
 *
 * <pre>{@code
 * JsonWriter w = new JsonWriter(out);
 * w.beginObject().name("tool").value("modelbridge").name("models").beginArray().endArray().endObject();
 * }</pre>
 */
public final class JsonWriter {
  private final Writer out;
  /** Per open container: whether it is an object, and whether it has an element yet. */
  private final Deque<boolean[]> open = new ArrayDeque<>();
  private boolean afterName;

  public JsonWriter(Writer out) {
    this.out = out;
  }

  public JsonWriter beginObject() {
    beforeValue();
    write("{");
    open.push(new boolean[] {true, false});
    return this;
  }

  public JsonWriter endObject() {
    return end(true, "}");
  }

  public JsonWriter beginArray() {
    beforeValue();
    write("[");
    open.push(new boolean[] {false, false});
    return this;
  }

  public JsonWriter endArray() {
    return end(false, "]");
  }

  /** The name of the next member of the current object. */
  public JsonWriter name(String name) {
    if (open.isEmpty() || afterName || !open.peek()[0]) {
      throw new IllegalStateException("name '" + name + "' outside an object");
    }
    separate();
    write(quote(name));
    write(": ");
    afterName = true;
    return this;
  }

  public JsonWriter value(String s) {
    if (s == null) {
      return nullValue();
    }
    beforeValue();
    write(quote(s));
    return this;
  }

  public JsonWriter value(long n) {
    beforeValue();
    write(Long.toString(n));
    return this;
  }

  /** A number; NaN and infinities, which JSON cannot hold, are written as strings. */
  public JsonWriter value(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return value(Double.toString(d));
    }
    beforeValue();
    write(d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d));
    return this;
  }

  public JsonWriter value(boolean b) {
    beforeValue();
    write(Boolean.toString(b));
    return this;
  }

  public JsonWriter nullValue() {
    beforeValue();
    write("null");
    return this;
  }

  /** Shorthand for {@code name(n).value(v)}. */
  public JsonWriter field(String n, String v) {
    return name(n).value(v);
  }

  public JsonWriter field(String n, long v) {
    return name(n).value(v);
  }

  public JsonWriter field(String n, boolean v) {
    return name(n).value(v);
  }

  /** Ends the document with a newline and flushes. */
  public void finish() {
    if (!open.isEmpty()) {
      throw new IllegalStateException(open.size() + " containers still open");
    }
    write("\n");
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JsonWriter end(boolean object, String bracket) {
    if (open.isEmpty() || afterName || open.peek()[0] != object) {
      throw new IllegalStateException("unbalanced " + bracket);
    }
    boolean hadElements = open.pop()[1];
    if (hadElements) {
      newline();
    }
    write(bracket);
    return this;
  }

  private void beforeValue() {
    if (afterName) {
      afterName = false;
      return;
    }
    if (!open.isEmpty()) {
      if (open.peek()[0]) {
        throw new IllegalStateException("a value in an object needs a name first");
      }
      separate();
    }
  }

  private void separate() {
    boolean[] state = open.peek();
    if (state[1]) {
      write(",");
    }
    state[1] = true;
    newline();
  }

  private void newline() {
    write("\n");
    write("  ".repeat(open.size()));
  }

  private void write(String s) {
    try {
      out.write(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A JSON string literal: quotes, backslashes and control characters escaped. */
  public static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
