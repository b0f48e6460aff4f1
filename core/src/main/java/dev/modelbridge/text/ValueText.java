package dev.modelbridge.text;

import dev.modelbridge.ir.Bytes;
import dev.modelbridge.ir.Dim;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Shape;
import dev.modelbridge.ir.SparseTensor;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.TensorData;
import dev.modelbridge.ir.Type;
import dev.modelbridge.ir.ValueInfo;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The text of the small things: names, strings, types and tensor values. */
final class ValueText {
  /** Values shown of a tensor before the rest is summarised. */
  static final int MAX_VALUES = 8;

  private ValueText() {}

  /** A value, node or graph name: bare when it is a plain name, else quoted. */
  static String name(String name) {
    if (name.isEmpty()) {
      return "\"\"";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '_' || c == '.' || c == '/' || c == ':' || c == '-';
      if (!plain) {
        return quote(name);
      }
    }
    return name;
  }

  /** A name in a node's input or output list, where an empty name (absent) prints as nothing. */
  static String listedName(String name) {
    return name.isEmpty() ? "" : name(name);
  }

  /** A Java-like string literal. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c == '\n') {
        b.append("\\n");
      } else if (c == '\t') {
        b.append("\\t");
      } else if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }

  /** Byte strings print quoted when they are UTF-8, else as {@code 0x} and hex digits. */
  static String bytes(Bytes b) {
    return b.isUtf8() ? quote(b.toUtf8()) : b.toString();
  }

  static String valueInfo(ValueInfo v) {
    return v.type().map(t -> type(t) + " ").orElse("") + name(v.name());
  }

  /** A type: {@code float[batch,4,?]}, {@code float} (rank unknown), {@code seq(int64[])}, .... */
  static String type(Type t) {
    if (t instanceof Type.TensorType tt) {
      return tt.elementType().label() + shape(tt.shape());
    } else if (t instanceof Type.SparseTensorType st) {
      return "sparse_tensor(" + st.elementType().label() + shape(st.shape()) + ")";
    } else if (t instanceof Type.SequenceType sq) {
      return "seq(" + optionalType(sq.elementType()) + ")";
    } else if (t instanceof Type.MapType m) {
      return "map(" + m.keyType().label() + ", " + optionalType(m.valueType()) + ")";
    } else if (t instanceof Type.OptionalType o) {
      return "optional(" + optionalType(o.elementType()) + ")";
    } else if (t instanceof Type.OpaqueType op) {
      return "opaque(" + quote(op.domain()) + ", " + quote(op.name()) + ")";
    }
    return "?";
  }

  private static String optionalType(Optional<Type> t) {
    return t.map(ValueText::type).orElse("?");
  }

  private static String shape(Optional<Shape> shape) {
    return shape.map(s -> s.dims().stream().map(ValueText::dim).collect(Collectors.joining(",", "[", "]")))
        .orElse("");
  }

  private static String dim(Dim d) {
    if (d instanceof Dim.Fixed f) {
      return Long.toString(f.size());
    } else if (d instanceof Dim.Symbolic s) {
      return name(s.name());
    }
    return "?";
  }

  /** {@code float[4,3] w = {...}}; an unnamed tensor leaves out the name and {@code =}. */
  static String tensor(Tensor t) {
    String dims = java.util.Arrays.stream(t.dims()).mapToObj(Long::toString)
        .collect(Collectors.joining(",", "[", "]"));
    String head = t.elementType().label() + dims + (t.name().isEmpty() ? "" : " " + name(t.name()) + " =");
    return head + " " + data(t);
  }

  static String sparse(SparseTensor s) {
    String dims = s.dims().stream().map(Object::toString).collect(Collectors.joining(",", "[", "]"));
    return "sparse_tensor(" + s.values().elementType().label() + dims + ")"
        + (s.name().isEmpty() ? "" : " " + name(s.name()) + " =")
        + " {values: " + data(s.values()) + ", indices: " + data(s.indices()) + "}";
  }

  /** The product of the dims, or -1 when one is negative or the product overflows. */
  private static long elementCount(long[] dims) {
    long n = 1;
    for (long d : dims) {
      if (d < 0 || (d > 0 && n > Long.MAX_VALUE / d)) {
        return -1;
      }
      n *= d;
    }
    return n;
  }

  /** The data of a tensor: a few values, or a summary that needs no I/O. */
  private static String data(Tensor t) {
    TensorData d = t.data();
    if (d instanceof TensorData.FileRegion f) {
      // Mapping a file to print it would make a debug string do I/O and maybe fail: summarise.
      String where = f.source().map(s -> s.location())
          .orElse(f.file().getFileName() == null ? "" : f.file().getFileName().toString());
      return "<external " + quote(where) + ", offset " + f.offset() + ", " + f.length() + " bytes>";
    }
    if (d instanceof TensorData.StringList s) {
      List<Bytes> strings = s.strings();
      String shown = strings.stream().limit(MAX_VALUES).map(ValueText::bytes).collect(Collectors.joining(", "));
      return "{" + shown + (strings.size() > MAX_VALUES ? ", ...}" : "}");
    }
    ByteBuffer buf = d.bytes();
    long elements = elementCount(t.dims());
    // -1 when unknown; the bound keeps byteSize's bit count from overflowing.
    long expected = elements < 0 || elements > Long.MAX_VALUE / 128 || !t.elementType().isFixedWidth()
        ? -1 : t.elementType().byteSize(elements);
    boolean sizeOk = expected == buf.remaining();
    String size = buf.remaining() + " bytes" + (sizeOk || expected < 0 ? "" : ", expected " + expected);
    ElementType type = t.elementType();
    if (!Numbers.decodable(type)) {
      return "... (" + size + ")";
    }
    int width = type.bits() / 8;
    long count = Math.min(Math.max(elements, 0), buf.remaining() / width);
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < Math.min(count, MAX_VALUES); i++) {
      b.append(i == 0 ? "" : ", ").append(Numbers.format(type, buf, i * width));
    }
    if (count <= MAX_VALUES && sizeOk) {
      return b.append("}").toString();
    }
    return b.append(count > 0 ? ", ...} (" : "...} (").append(size).append(")").toString();
  }
}
