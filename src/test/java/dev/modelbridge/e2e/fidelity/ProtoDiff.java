package dev.modelbridge.e2e.fidelity;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/** Finds the first field where two messages differ and names its path, for failure messages. */
public final class ProtoDiff {
  private ProtoDiff() {}

  public static Optional<String> firstDifference(Message a, Message b) {
    return Optional.ofNullable(diff(a, b, a.getDescriptorForType().getName()));
  }

  private static String diff(Message a, Message b, String path) {
    if (a.equals(b)) {
      return null;
    }
    TreeSet<FieldDescriptor> fields = new TreeSet<>((x, y) -> Integer.compare(x.getNumber(), y.getNumber()));
    fields.addAll(a.getAllFields().keySet());
    fields.addAll(b.getAllFields().keySet());
    for (FieldDescriptor f : fields) {
      Object va = a.getAllFields().get(f);
      Object vb = b.getAllFields().get(f);
      if (Objects.equals(va, vb)) {
        continue;
      }
      String p = path + "." + f.getName();
      if (va == null || vb == null) {
        return p + ": " + (va == null ? "absent" : "present") + " vs " + (vb == null ? "absent" : "present");
      }
      if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        if (f.isRepeated()) {
          List<?> la = (List<?>) va;
          List<?> lb = (List<?>) vb;
          for (int i = 0; i < Math.min(la.size(), lb.size()); i++) {
            String d = diff((Message) la.get(i), (Message) lb.get(i), p + "[" + i + "]");
            if (d != null) {
              return d;
            }
          }
          return p + ": " + la.size() + " vs " + lb.size() + " elements";
        }
        return diff((Message) va, (Message) vb, p);
      }
      return p + ": " + abbreviate(va) + " vs " + abbreviate(vb);
    }
    return path + ": unknown fields differ";
  }

  private static String abbreviate(Object o) {
    String s = String.valueOf(o);
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}
