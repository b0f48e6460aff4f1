package dev.modelbridge.text;

import dev.modelbridge.ir.ElementType;
import java.nio.ByteBuffer;

/** Decodes single elements of little-endian tensor data for display. */
final class Numbers {
  private Numbers() {}

  /** Whether {@link #format} can show elements of this type. */
  static boolean decodable(ElementType type) {
    switch (type) {
      case FLOAT:
      case DOUBLE:
      case FLOAT16:
      case BFLOAT16:
      case INT8:
      case INT16:
      case INT32:
      case INT64:
      case UINT8:
      case UINT16:
      case UINT32:
      case UINT64:
      case BOOL:
        return true;
      default:
        // Float8, packed 4- and 2-bit and complex types are rare enough to show as a byte count.
        return false;
    }
  }

  /** The element at byte {@code offset} of {@code buf}, which must be {@link #decodable}. */
  static String format(ElementType type, ByteBuffer buf, int offset) {
    switch (type) {
      case FLOAT:
        return Float.toString(buf.getFloat(offset));
      case DOUBLE:
        return Double.toString(buf.getDouble(offset));
      case FLOAT16:
        return Float.toString(halfToFloat(buf.getShort(offset)));
      case BFLOAT16:
        return Float.toString(Float.intBitsToFloat((buf.getShort(offset) & 0xffff) << 16));
      case INT8:
        return Byte.toString(buf.get(offset));
      case INT16:
        return Short.toString(buf.getShort(offset));
      case INT32:
        return Integer.toString(buf.getInt(offset));
      case INT64:
        return Long.toString(buf.getLong(offset));
      case UINT8:
        return Integer.toString(buf.get(offset) & 0xff);
      case UINT16:
        return Integer.toString(buf.getShort(offset) & 0xffff);
      case UINT32:
        return Integer.toUnsignedString(buf.getInt(offset));
      case UINT64:
        return Long.toUnsignedString(buf.getLong(offset));
      case BOOL:
        return buf.get(offset) != 0 ? "true" : "false";
      default:
        throw new IllegalArgumentException("cannot show " + type + " values");
    }
  }

  /** IEEE half precision to float (Java 17 has no Float.float16ToFloat). */
  static float halfToFloat(short half) {
    int h = half & 0xffff;
    int exponent = (h >>> 10) & 0x1f;
    int mantissa = h & 0x3ff;
    float magnitude;
    if (exponent == 0) {
      magnitude = mantissa * 0x1p-24f; // subnormal
    } else if (exponent == 31) {
      magnitude = mantissa == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
    } else {
      magnitude = Float.intBitsToFloat(((exponent + 112) << 23) | (mantissa << 13));
    }
    return (h & 0x8000) != 0 ? -magnitude : magnitude;
  }
}
