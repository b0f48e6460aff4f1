package dev.modelbridge.e2e.support;

import ai.onnxruntime.OnnxJavaType;
import dev.modelbridge.schemas.onnx.TensorProto.DataType;

/**
 * Facts about ONNX element types that the harness needs: storage width, how to compare values, and
 * whether ONNX Runtime's Java API can build an input tensor of the type.
 */
public final class ElementType {

  /** How elements of a type are compared. */
  public enum Kind {
    /** Compared as doubles, with tolerance; NaN equals NaN. */
    FLOATING,
    /** Compared exactly as 64-bit patterns (bools as 0/1). */
    INTEGRAL,
    STRING,
    /** Complex and unknown types: the harness does not compare them. */
    OTHER
  }

  private ElementType() {}

  /** The ONNX enum name of a data type number, or {@code type N} when unknown. */
  public static String name(int dataType) {
    DataType t = DataType.forNumber(dataType);
    return t == null ? "type " + dataType : t.name();
  }

  /** Bits one element occupies in raw_data; 0 for strings and unknown types. */
  public static int bits(int dataType) {
    DataType t = DataType.forNumber(dataType);
    if (t == null) {
      return 0;
    }
    return switch (t) {
      case UINT2, INT2 -> 2;
      case UINT4, INT4, FLOAT4E2M1 -> 4;
      case UINT8, INT8, BOOL, FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2, FLOAT8E5M2FNUZ, FLOAT8E8M0 -> 8;
      case UINT16, INT16, FLOAT16, BFLOAT16 -> 16;
      case FLOAT, INT32, UINT32 -> 32;
      case DOUBLE, INT64, UINT64, COMPLEX64 -> 64;
      case COMPLEX128 -> 128;
      case STRING, UNDEFINED -> 0;
    };
  }

  /** Bytes needed for {@code count} elements; sub-byte types pack several elements per byte. */
  public static long byteLength(int dataType, long count) {
    return (count * bits(dataType) + 7) / 8;
  }

  public static Kind kind(int dataType) {
    DataType t = DataType.forNumber(dataType);
    if (t == null) {
      return Kind.OTHER;
    }
    return switch (t) {
      case FLOAT, DOUBLE, FLOAT16, BFLOAT16, FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2, FLOAT8E5M2FNUZ,
          FLOAT8E8M0, FLOAT4E2M1 -> Kind.FLOATING;
      case UINT8, INT8, UINT16, INT16, INT32, UINT32, INT64, UINT64, BOOL, UINT4, INT4, UINT2, INT2 ->
          Kind.INTEGRAL;
      case STRING -> Kind.STRING;
      case COMPLEX64, COMPLEX128, UNDEFINED -> Kind.OTHER;
    };
  }

  /**
   * The Java type ORT's {@code OnnxTensor.createTensor} accepts for an ONNX type, or null when the
   * Java API offers no way to create it (unsigned 16/32/64-bit, float8, 4-bit, complex...).
   */
  public static OnnxJavaType creatable(int dataType) {
    DataType t = DataType.forNumber(dataType);
    if (t == null) {
      return null;
    }
    return switch (t) {
      case FLOAT -> OnnxJavaType.FLOAT;
      case DOUBLE -> OnnxJavaType.DOUBLE;
      case INT8 -> OnnxJavaType.INT8;
      case UINT8 -> OnnxJavaType.UINT8;
      case INT16 -> OnnxJavaType.INT16;
      case INT32 -> OnnxJavaType.INT32;
      case INT64 -> OnnxJavaType.INT64;
      case BOOL -> OnnxJavaType.BOOL;
      case FLOAT16 -> OnnxJavaType.FLOAT16;
      case BFLOAT16 -> OnnxJavaType.BFLOAT16;
      case STRING -> OnnxJavaType.STRING;
      default -> null;
    };
  }

  /** Widens a float16 bit pattern; Java 17 has no Float.float16ToFloat. */
  public static float halfToFloat(int bits) {
    return (float) minifloat(bits & 0xFFFF, 5, 10, 15, Specials.IEEE);
  }

  public static float bfloat16ToFloat(int bits) {
    return Float.intBitsToFloat((bits & 0xFFFF) << 16);
  }

  /** Widens an 8-bit (or 4-bit) float pattern of the given ONNX type to double. */
  public static double smallFloat(int dataType, int bits) {
    return switch (DataType.forNumber(dataType)) {
      case FLOAT8E4M3FN -> minifloat(bits & 0xFF, 4, 3, 7, Specials.FN);
      case FLOAT8E4M3FNUZ -> minifloat(bits & 0xFF, 4, 3, 8, Specials.FNUZ);
      case FLOAT8E5M2 -> minifloat(bits & 0xFF, 5, 2, 15, Specials.IEEE);
      case FLOAT8E5M2FNUZ -> minifloat(bits & 0xFF, 5, 2, 16, Specials.FNUZ);
      case FLOAT4E2M1 -> minifloat(bits & 0xF, 2, 1, 1, Specials.NONE);
      // E8M0 is a pure power of two; all ones is NaN.
      case FLOAT8E8M0 -> (bits & 0xFF) == 0xFF ? Double.NaN : Math.pow(2, (bits & 0xFF) - 127);
      default -> throw new IllegalArgumentException("not a small float: " + name(dataType));
    };
  }

  /** Where the NaN and infinity encodings of a small float format sit. */
  private enum Specials {
    /** IEEE: all-ones exponent is infinity (mantissa 0) or NaN. */
    IEEE,
    /** "Finite": no infinity; all-ones exponent and mantissa is NaN. */
    FN,
    /** "Finite, unsigned zero": no infinity; the negative-zero pattern is the only NaN. */
    FNUZ,
    NONE
  }

  private static double minifloat(int bits, int expBits, int mantBits, int bias, Specials specials) {
    int sign = (bits >>> (expBits + mantBits)) & 1;
    int exp = (bits >>> mantBits) & ((1 << expBits) - 1);
    int mant = bits & ((1 << mantBits) - 1);
    int maxExp = (1 << expBits) - 1;
    switch (specials) {
      case IEEE -> {
        if (exp == maxExp) {
          return mant != 0 ? Double.NaN : (sign == 1 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        }
      }
      case FN -> {
        if (exp == maxExp && mant == (1 << mantBits) - 1) {
          return Double.NaN;
        }
      }
      case FNUZ -> {
        if (sign == 1 && exp == 0 && mant == 0) {
          return Double.NaN;
        }
      }
      case NONE -> { }
    }
    double magnitude = exp == 0
        ? Math.scalb((double) mant, 1 - bias - mantBits)
        : Math.scalb((double) ((1 << mantBits) | mant), exp - bias - mantBits);
    return sign == 1 ? -magnitude : magnitude;
  }
}
