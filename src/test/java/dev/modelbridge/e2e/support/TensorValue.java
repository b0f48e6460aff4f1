package dev.modelbridge.e2e.support;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import dev.modelbridge.schemas.onnx.TensorProto;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A tensor in one neutral form, whether it came from a reference TensorProto or from ONNX Runtime:
 * the ONNX data type number, the shape, and either little-endian packed bytes (the layout of
 * TensorProto.raw_data) or strings. Comparing two of these needs no knowledge of where they came
 * from.
 */
public final class TensorValue {

  private final int dataType;
  private final long[] shape;
  private final ByteBuffer data;
  private final String[] strings;

  private TensorValue(int dataType, long[] shape, ByteBuffer data, String[] strings) {
    this.dataType = dataType;
    this.shape = shape.clone();
    this.data = data == null ? null : data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    this.strings = strings;
  }

  /** A float tensor, e.g. for synthesized inputs. */
  public static TensorValue ofFloats(long[] shape, float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return new TensorValue(TensorProto.DataType.FLOAT_VALUE, shape, b, null);
  }

  /**
   * Decodes a reference tensor, whether its values sit in raw_data or in the typed repeated fields.
   *
   * @throws IllegalArgumentException if the tensor uses external data, a type the harness cannot
   *     decode, or holds a number of values that does not match its shape
   */
  public static TensorValue fromProto(TensorProto t) {
    if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
      throw new IllegalArgumentException("reference tensor uses external data");
    }
    int type = t.getDataType();
    long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
    long count = elementCount(shape);
    if (type == TensorProto.DataType.STRING_VALUE) {
      String[] s = t.getStringDataList().stream().map(b -> b.toString(StandardCharsets.UTF_8)).toArray(String[]::new);
      requireCount(s.length, count, t);
      return new TensorValue(type, shape, null, s);
    }
    if (ElementType.bits(type) == 0) {
      throw new IllegalArgumentException("cannot decode reference tensor of type " + ElementType.name(type));
    }
    long bytes = ElementType.byteLength(type, count);
    ByteBuffer b;
    if (t.hasRawData()) {
      b = t.getRawData().asReadOnlyByteBuffer();
    } else {
      b = ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
      fillFromTypedFields(t, type, b);
      b.flip();
    }
    requireCount(b.remaining(), bytes, t);
    return new TensorValue(type, shape, b, null);
  }

  // onnx.proto: which repeated field holds which type when raw_data is absent.
  private static void fillFromTypedFields(TensorProto t, int type, ByteBuffer b) {
    switch (TensorProto.DataType.forNumber(type)) {
      case FLOAT, COMPLEX64 -> t.getFloatDataList().forEach(b::putFloat);
      case DOUBLE, COMPLEX128 -> t.getDoubleDataList().forEach(b::putDouble);
      case INT64 -> t.getInt64DataList().forEach(b::putLong);
      case UINT64 -> t.getUint64DataList().forEach(b::putLong);
      case UINT32 -> t.getUint64DataList().forEach(v -> b.putInt(v.intValue()));
      // int32_data holds one value per element, except for sub-byte types where it holds one packed byte.
      case INT32 -> t.getInt32DataList().forEach(b::putInt);
      case INT16, UINT16, FLOAT16, BFLOAT16 -> t.getInt32DataList().forEach(v -> b.putShort(v.shortValue()));
      default -> t.getInt32DataList().forEach(v -> b.put(v.byteValue()));
    }
  }

  private static void requireCount(long actual, long expected, TensorProto t) {
    if (actual != expected) {
      throw new IllegalArgumentException("reference tensor " + t.getName() + " of type " + ElementType.name(t.getDataType())
          + " and shape " + Arrays.toString(t.getDimsList().toArray()) + " holds " + actual + " where " + expected + " were expected");
    }
  }

  /** Copies an ORT output. Strings come through getValue(), everything else as raw bytes. */
  public static TensorValue fromOrt(OnnxTensor t) throws OrtException {
    int type = onnxNumber(t.getInfo().onnxType);
    long[] shape = t.getInfo().getShape();
    if (t.getInfo().type == OnnxJavaType.STRING) {
      List<String> flat = new ArrayList<>();
      flatten(t.getValue(), flat);
      return new TensorValue(type, shape, null, flat.toArray(String[]::new));
    }
    if (type == TensorProto.DataType.UNDEFINED_VALUE) {
      throw new OrtException("output element type unknown to ORT's Java API");
    }
    ByteBuffer b = t.getByteBuffer();
    if (b == null) {
      throw new OrtException("ORT returned no buffer for an output of type " + ElementType.name(type));
    }
    // A copy in native order, which is little-endian on every platform ORT ships for.
    return new TensorValue(type, shape, b, null);
  }

  /**
   * The ONNX data type number of an ORT element type. ORT's Java enum numbers its constants its own
   * way, so match by name; types the enum lacks (4-bit, 2-bit, float8e8m0...) arrive as UNDEFINED.
   */
  static int onnxNumber(TensorInfo.OnnxTensorType ortType) {
    String name = ortType.name().substring("ONNX_TENSOR_ELEMENT_DATA_TYPE_".length());
    try {
      return TensorProto.DataType.valueOf(name).getNumber();
    } catch (IllegalArgumentException e) {
      return TensorProto.DataType.UNDEFINED_VALUE;
    }
  }

  private static void flatten(Object value, List<String> out) {
    if (value instanceof String s) {
      out.add(s);
    } else if (value != null && value.getClass().isArray()) {
      for (int i = 0, n = Array.getLength(value); i < n; i++) {
        flatten(Array.get(value, i), out);
      }
    }
  }

  /**
   * Creates an ORT input tensor; the caller closes it.
   *
   * @throws UnsupportedOperationException if ORT's Java API cannot create this element type
   */
  public OnnxTensor toOrt(OrtEnvironment env) throws OrtException {
    OnnxJavaType javaType = ElementType.creatable(dataType);
    if (javaType == null) {
      throw new UnsupportedOperationException(
          "input type " + ElementType.name(dataType) + " not creatable through ORT's Java API");
    }
    if (javaType == OnnxJavaType.STRING) {
      return OnnxTensor.createTensor(env, strings, shape);
    }
    // ORT reads the buffer in native order; OrtRunner refuses big-endian hosts, so the bytes copy as is.
    ByteBuffer direct = ByteBuffer.allocateDirect(data.remaining()).order(ByteOrder.nativeOrder());
    direct.put(data.duplicate());
    direct.flip();
    return OnnxTensor.createTensor(env, direct, shape, javaType);
  }

  public int dataType() {
    return dataType;
  }

  public long[] shape() {
    return shape.clone();
  }

  public long size() {
    return strings != null ? strings.length : elementCount(shape);
  }

  /** Element {@code i} of a FLOATING type, widened to double. */
  public double getDouble(long i) {
    int at = Math.toIntExact(i);
    return switch (TensorProto.DataType.forNumber(dataType)) {
      case FLOAT -> data.getFloat(data.position() + at * 4);
      case DOUBLE -> data.getDouble(data.position() + at * 8);
      case FLOAT16 -> ElementType.halfToFloat(data.getShort(data.position() + at * 2));
      case BFLOAT16 -> ElementType.bfloat16ToFloat(data.getShort(data.position() + at * 2));
      case FLOAT4E2M1 -> ElementType.smallFloat(dataType, nibble(at));
      default -> ElementType.smallFloat(dataType, data.get(data.position() + at));
    };
  }

  /** Element {@code i} of an INTEGRAL type; unsigned 64-bit values keep their bit pattern. */
  public long getLong(long i) {
    int at = Math.toIntExact(i);
    int p = data.position();
    return switch (TensorProto.DataType.forNumber(dataType)) {
      case INT8 -> data.get(p + at);
      case UINT8 -> data.get(p + at) & 0xFFL;
      case BOOL -> data.get(p + at) != 0 ? 1 : 0;
      case INT16 -> data.getShort(p + at * 2);
      case UINT16 -> data.getShort(p + at * 2) & 0xFFFFL;
      case INT32 -> data.getInt(p + at * 4);
      case UINT32 -> data.getInt(p + at * 4) & 0xFFFF_FFFFL;
      case INT64, UINT64 -> data.getLong(p + at * 8);
      case UINT4 -> nibble(at);
      case INT4 -> (nibble(at) << 28) >> 28;
      case UINT2 -> crumb(at);
      case INT2 -> (crumb(at) << 30) >> 30;
      default -> throw new IllegalStateException("not integral: " + ElementType.name(dataType));
    };
  }

  // ONNX packs sub-byte elements from the low bits up: element 0 is the low nibble of byte 0.
  private int nibble(int i) {
    return (data.get(data.position() + i / 2) >> ((i % 2) * 4)) & 0xF;
  }

  private int crumb(int i) {
    return (data.get(data.position() + i / 4) >> ((i % 4) * 2)) & 0x3;
  }

  public String getString(long i) {
    return strings[Math.toIntExact(i)];
  }

  /** Element {@code i} as text, for mismatch messages. */
  public String format(long i) {
    return switch (ElementType.kind(dataType)) {
      case FLOATING -> Double.toString(getDouble(i));
      case INTEGRAL -> dataType == TensorProto.DataType.UINT64_VALUE
          ? Long.toUnsignedString(getLong(i)) : Long.toString(getLong(i));
      case STRING -> '"' + getString(i) + '"';
      case OTHER -> "?";
    };
  }

  static long elementCount(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  @Override
  public String toString() {
    return ElementType.name(dataType) + Arrays.toString(shape);
  }
}
