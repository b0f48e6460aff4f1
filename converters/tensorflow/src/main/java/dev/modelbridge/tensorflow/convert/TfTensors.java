package dev.modelbridge.tensorflow.convert;

import dev.modelbridge.InvalidModelException;
import dev.modelbridge.ModelException;
import dev.modelbridge.UnsupportedModelException;
import dev.modelbridge.format.Limits;
import dev.modelbridge.ir.Bytes;
import dev.modelbridge.ir.Dim;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Shape;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.Type;
import dev.modelbridge.tensorflow.bundle.TfDataTypes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/** TensorFlow tensors, shapes and dtypes as IR tensors and types. */
public final class TfTensors {
  private TfTensors() {}

  /** The IR element type of a dtype, or an error naming it when it holds no plain values. */
  public static ElementType elementType(DataType t) throws UnsupportedModelException {
    return TfDataTypes.toElementType(t.getNumber() > 100 ? DataType.forNumber(t.getNumber() - 100) : t)
        .orElseThrow(() -> new UnsupportedModelException("dtype " + TfDataTypes.label(t) + " has no ONNX equivalent"));
  }

  /** The dims of a fully known shape; -1 stands for an unknown dimension. */
  public static long[] dims(TensorShapeProto s) {
    return s.getDimList().stream().mapToLong(TensorShapeProto.Dim::getSize).toArray();
  }

  /**
   * The IR type of a tensor of dtype {@code t} and shape {@code s}; unknown dimensions become
   * symbols {@code <symbolPrefix>_<i>}, an unknown rank a tensor type without shape.
   */
  public static Type.TensorType type(DataType t, TensorShapeProto s, String symbolPrefix) throws UnsupportedModelException {
    ElementType e = elementType(t);
    if (s.getUnknownRank()) {
      return Type.tensorOfUnknownRank(e);
    }
    List<Dim> dims = new ArrayList<>();
    for (int i = 0; i < s.getDimCount(); i++) {
      long d = s.getDim(i).getSize();
      dims.add(d >= 0 ? Dim.of(d) : Dim.of(symbolPrefix + "_" + i));
    }
    return Type.tensor(e, new Shape(dims));
  }

  /**
   * The value of a {@code TensorProto}. Packed {@code tensor_content} is viewed, not copied; typed
   * value fields shorter than the element count repeat their last value, as TensorFlow does.
   */
  public static Tensor fromProto(String name, TensorProto p) throws ModelException {
    return fromProto(name, p, Limits.DEFAULT_EXPANDED_BYTES);
  }

  /**
   * As {@link #fromProto(String, TensorProto)}, refusing before allocating a value whose declared
   * shape is negative, overflows, disagrees with the bytes of {@code tensor_content}, or would
   * expand from repeated values to more than {@code maxExpandedBytes}.
   */
  public static Tensor fromProto(String name, TensorProto p, long maxExpandedBytes) throws ModelException {
    long count = checkShape(p, maxExpandedBytes);
    ElementType type = elementType(p.getDtype());
    long[] dims = dims(p.getTensorShape());
    if (type == ElementType.STRING) {
      List<Bytes> strings = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int k = Math.min(i, p.getStringValCount() - 1);
        strings.add(k < 0 ? Bytes.utf8("") : Bytes.copyOf(p.getStringVal(k).toByteArray()));
      }
      return Tensor.ofStrings(name, dims, strings);
    }
    if (!p.getTensorContent().isEmpty()) {
      return Tensor.of(name, type, dims, p.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN));
    }
    int n = Math.toIntExact(count);
    ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(type.byteSize(count))).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      put(b, type, p, i);
    }
    return Tensor.of(name, type, dims, b.flip());
  }

  /**
   * The element count of a constant, once its shape is known not to be negative or overflow, to
   * agree with the bytes of {@code tensor_content}, and not to expand past {@code maxExpandedBytes}.
   */
  public static long checkShape(TensorProto p, long maxExpandedBytes) throws ModelException {
    ElementType type = elementType(p.getDtype());
    long[] dims = dims(p.getTensorShape());
    long count = 1;
    for (long d : dims) {
      if (d < 0) {
        throw new InvalidModelException("constant has a negative or unknown dimension " + java.util.Arrays.toString(dims));
      }
      try {
        count = Math.multiplyExact(count, d);
      } catch (ArithmeticException e) {
        throw new InvalidModelException("constant shape " + java.util.Arrays.toString(dims) + " overflows");
      }
    }
    long bytes;
    try {
      bytes = type == ElementType.STRING ? Math.multiplyExact(count, 16) : type.byteSize(count);
    } catch (ArithmeticException e) {
      throw new InvalidModelException("constant shape " + java.util.Arrays.toString(dims) + " overflows");
    }
    if (type != ElementType.STRING && !p.getTensorContent().isEmpty()) {
      if (p.getTensorContent().size() != bytes) {
        throw new InvalidModelException("constant of shape " + java.util.Arrays.toString(dims) + " and dtype "
            + type.label() + " needs " + bytes + " bytes; tensor_content holds " + p.getTensorContent().size());
      }
    } else if (bytes > maxExpandedBytes || count > Integer.MAX_VALUE) {
      throw new InvalidModelException("constant of shape " + java.util.Arrays.toString(dims)
          + " would expand to more than " + maxExpandedBytes + " bytes (limit maxExpandedBytes)");
    }
    return count;
  }

  private static void put(ByteBuffer b, ElementType type, TensorProto p, int i) throws UnsupportedModelException {
    switch (type) {
      case FLOAT -> b.putFloat(p.getFloatValCount() == 0 ? 0f : p.getFloatVal(Math.min(i, p.getFloatValCount() - 1)));
      case DOUBLE -> b.putDouble(p.getDoubleValCount() == 0 ? 0d : p.getDoubleVal(Math.min(i, p.getDoubleValCount() - 1)));
      case INT64 -> b.putLong(p.getInt64ValCount() == 0 ? 0L : p.getInt64Val(Math.min(i, p.getInt64ValCount() - 1)));
      case UINT64 -> b.putLong(p.getUint64ValCount() == 0 ? 0L : p.getUint64Val(Math.min(i, p.getUint64ValCount() - 1)));
      case UINT32 -> b.putInt(p.getUint32ValCount() == 0 ? 0 : p.getUint32Val(Math.min(i, p.getUint32ValCount() - 1)));
      case INT32 -> b.putInt(intVal(p, i));
      case INT16, UINT16 -> b.putShort((short) intVal(p, i));
      case INT8, UINT8 -> b.put((byte) intVal(p, i));
      case BOOL -> b.put((byte) (p.getBoolValCount() == 0 ? 0 : p.getBoolVal(Math.min(i, p.getBoolValCount() - 1)) ? 1 : 0));
      case FLOAT16, BFLOAT16 -> b.putShort((short) (p.getHalfValCount() == 0 ? 0 : p.getHalfVal(Math.min(i, p.getHalfValCount() - 1))));
      default -> throw new UnsupportedModelException("constants of dtype " + type + " are not supported");
    }
  }

  private static int intVal(TensorProto p, int i) {
    return p.getIntValCount() == 0 ? 0 : p.getIntVal(Math.min(i, p.getIntValCount() - 1));
  }

  /** The values of an integer tensor (int32 or int64) as longs. */
  public static long[] longs(Tensor t) {
    ByteBuffer b = t.data().bytes();
    long[] out = new long[Math.toIntExact(t.elementCount())];
    for (int i = 0; i < out.length; i++) {
      out[i] = switch (t.elementType()) {
        case INT64, UINT64 -> b.getLong();
        case INT32, UINT32 -> b.getInt();
        case INT16, UINT16 -> b.getShort();
        case INT8, UINT8, BOOL -> b.get();
        default -> throw new IllegalArgumentException("not an integer tensor: " + t);
      };
    }
    return out;
  }
}
