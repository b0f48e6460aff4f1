package dev.modelbridge.onnx;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.modelbridge.UnsupportedModelException;
import java.util.Map;

/**
 * Finds fields that this version's onnx.proto does not know (written by a newer ONNX, or an enum
 * value out of range). Dropping them silently would change the model, so the reader refuses the
 * file unless asked to drop them.
 */
final class UnknownFields {
  private UnknownFields() {}

  static void check(Message root) throws UnsupportedModelException {
    String where = find(root, root.getDescriptorForType().getName());
    if (where != null) {
      throw new UnsupportedModelException("unknown protobuf field " + where
          + " (written by a newer ONNX version?); refusing to drop it silently");
    }
  }

  private static String find(Message m, String path) {
    if (!m.getUnknownFields().asMap().isEmpty()) {
      return "number " + m.getUnknownFields().asMap().keySet().iterator().next() + " in " + path;
    }
    for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
      FieldDescriptor f = e.getKey();
      if (f.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      if (f.isRepeated()) {
        int i = 0;
        for (Object o : (Iterable<?>) e.getValue()) {
          String found = find((Message) o, path + "." + f.getName() + "[" + i++ + "]");
          if (found != null) {
            return found;
          }
        }
      } else {
        String found = find((Message) e.getValue(), path + "." + f.getName());
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }
}
