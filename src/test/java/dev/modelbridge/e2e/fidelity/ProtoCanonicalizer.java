package dev.modelbridge.e2e.fidelity;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.modelbridge.schemas.onnx.AttributeProto;
import dev.modelbridge.schemas.onnx.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Brings an ONNX protobuf to the canonical form that ModelBridge's writer documents, so that a test
 * can compare an original file with its rewrite field by field. The normalisations, and nothing
 * else:
 * <ol>
 *   <li>tensor data in typed fields ({@code float_data}, {@code int32_data}, ...) becomes the
 *       equivalent little-endian {@code raw_data}; string tensors keep {@code string_data};</li>
 *   <li>an explicit default ({@code ""}, {@code 0}, {@code data_location: DEFAULT}) is the same as
 *       an absent field, outside oneofs (where a zero dim is meaningful);</li>
 *   <li>{@code AttributeProto.type} is filled in where an old file left it out.</li>
 * </ol>
 */
public final class ProtoCanonicalizer {
  private ProtoCanonicalizer() {}

  @SuppressWarnings("unchecked")
  public static <M extends Message> M canonical(M message) {
    return (M) canonicalize(message);
  }

  private static Message canonicalize(Message m) {
    Message.Builder b = m.toBuilder();
    if (m instanceof TensorProto t) {
      b = canonicalTensor(t).toBuilder();
    } else if (m instanceof AttributeProto a && (!a.hasType() || a.getType() == AttributeProto.AttributeType.UNDEFINED)) {
      ((AttributeProto.Builder) b).setType(inferType(a));
    }
    Message current = b.build();
    Message.Builder out = current.toBuilder();
    for (Map.Entry<FieldDescriptor, Object> e : current.getAllFields().entrySet()) {
      FieldDescriptor f = e.getKey();
      if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        if (f.isRepeated()) {
          List<Object> items = new ArrayList<>();
          for (Object o : (List<?>) e.getValue()) {
            items.add(canonicalize((Message) o));
          }
          out.setField(f, items);
        } else {
          out.setField(f, canonicalize((Message) e.getValue()));
        }
      } else if (!f.isRepeated() && f.getContainingOneof() == null && isDefault(f, e.getValue())) {
        out.clearField(f);
      }
    }
    return out.build();
  }

  private static boolean isDefault(FieldDescriptor f, Object v) {
    if (v instanceof String s) {
      return s.isEmpty();
    }
    if (v instanceof ByteString s) {
      return s.isEmpty();
    }
    if (v instanceof Number n) {
      // Bits, not value: -0.0 is a different float from 0.0.
      return n instanceof Float || n instanceof Double
          ? Double.doubleToRawLongBits(n.doubleValue()) == 0
          : n.longValue() == 0;
    }
    if (v instanceof com.google.protobuf.Descriptors.EnumValueDescriptor e) {
      return e.getNumber() == 0;
    }
    return false;
  }

  private static TensorProto canonicalTensor(TensorProto t) {
    TensorProto.Builder b = t.toBuilder();
    if (t.getDataLocation() == TensorProto.DataLocation.DEFAULT) {
      b.clearDataLocation();
    }
    if (t.getDataType() == TensorProto.DataType.STRING_VALUE || t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
      return b.build();
    }
    ByteBuffer raw = typedToRaw(t);
    if (raw != null) {
      b.clearFloatData().clearDoubleData().clearInt32Data().clearInt64Data().clearUint64Data();
      raw.flip();
      if (raw.hasRemaining()) {
        b.setRawData(ByteString.copyFrom(raw));
      } else {
        b.clearRawData();
      }
    } else if (t.hasRawData() && t.getRawData().isEmpty()) {
      b.clearRawData();
    }
    return b.build();
  }

  private static ByteBuffer typedToRaw(TensorProto t) {
    int n = t.getFloatDataCount() + t.getDoubleDataCount() + t.getInt32DataCount()
        + t.getInt64DataCount() + t.getUint64DataCount();
    if (n == 0) {
      return null;
    }
    ByteBuffer b = ByteBuffer.allocate(n * 8).order(ByteOrder.LITTLE_ENDIAN);
    switch (TensorProto.DataType.forNumber(t.getDataType())) {
      case FLOAT, COMPLEX64 -> t.getFloatDataList().forEach(b::putFloat);
      case DOUBLE, COMPLEX128 -> t.getDoubleDataList().forEach(b::putDouble);
      case INT64 -> t.getInt64DataList().forEach(b::putLong);
      case UINT64 -> t.getUint64DataList().forEach(b::putLong);
      case UINT32 -> t.getUint64DataList().forEach(v -> b.putInt(v.intValue()));
      case INT32 -> t.getInt32DataList().forEach(b::putInt);
      case INT16, UINT16, FLOAT16, BFLOAT16 -> t.getInt32DataList().forEach(v -> b.putShort(v.shortValue()));
      default -> t.getInt32DataList().forEach(v -> b.put(v.byteValue()));
    }
    return b;
  }

  private static AttributeProto.AttributeType inferType(AttributeProto a) {
    if (a.hasF()) return AttributeProto.AttributeType.FLOAT;
    if (a.hasI()) return AttributeProto.AttributeType.INT;
    if (a.hasS()) return AttributeProto.AttributeType.STRING;
    if (a.hasT()) return AttributeProto.AttributeType.TENSOR;
    if (a.hasG()) return AttributeProto.AttributeType.GRAPH;
    if (a.hasSparseTensor()) return AttributeProto.AttributeType.SPARSE_TENSOR;
    if (a.hasTp()) return AttributeProto.AttributeType.TYPE_PROTO;
    if (a.getFloatsCount() > 0) return AttributeProto.AttributeType.FLOATS;
    if (a.getIntsCount() > 0) return AttributeProto.AttributeType.INTS;
    if (a.getStringsCount() > 0) return AttributeProto.AttributeType.STRINGS;
    if (a.getTensorsCount() > 0) return AttributeProto.AttributeType.TENSORS;
    if (a.getGraphsCount() > 0) return AttributeProto.AttributeType.GRAPHS;
    if (a.getSparseTensorsCount() > 0) return AttributeProto.AttributeType.SPARSE_TENSORS;
    if (a.getTypeProtosCount() > 0) return AttributeProto.AttributeType.TYPE_PROTOS;
    return AttributeProto.AttributeType.UNDEFINED;
  }
}
