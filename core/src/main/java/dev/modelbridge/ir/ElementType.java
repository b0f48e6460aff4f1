package dev.modelbridge.ir;

import java.util.Optional;

/**
 * The element types of ONNX tensors, with their ONNX code and storage width.
 *
 * <p>Sub-byte types (4-bit and 2-bit) are stored packed, low bits first, as ONNX stores them.
 * {@link #STRING} has no fixed width: string tensors hold a list of byte strings.
 */
public enum ElementType {
  UNDEFINED(0, 0, "undefined"),
  FLOAT(1, 32, "float"),
  UINT8(2, 8, "uint8"),
  INT8(3, 8, "int8"),
  UINT16(4, 16, "uint16"),
  INT16(5, 16, "int16"),
  INT32(6, 32, "int32"),
  INT64(7, 64, "int64"),
  STRING(8, 0, "string"),
  BOOL(9, 8, "bool"),
  FLOAT16(10, 16, "float16"),
  DOUBLE(11, 64, "double"),
  UINT32(12, 32, "uint32"),
  UINT64(13, 64, "uint64"),
  COMPLEX64(14, 64, "complex64"),
  COMPLEX128(15, 128, "complex128"),
  BFLOAT16(16, 16, "bfloat16"),
  FLOAT8E4M3FN(17, 8, "float8e4m3fn"),
  FLOAT8E4M3FNUZ(18, 8, "float8e4m3fnuz"),
  FLOAT8E5M2(19, 8, "float8e5m2"),
  FLOAT8E5M2FNUZ(20, 8, "float8e5m2fnuz"),
  UINT4(21, 4, "uint4"),
  INT4(22, 4, "int4"),
  FLOAT4E2M1(23, 4, "float4e2m1"),
  FLOAT8E8M0(24, 8, "float8e8m0"),
  UINT2(25, 2, "uint2"),
  INT2(26, 2, "int2");

  private static final ElementType[] BY_CODE = new ElementType[27];

  static {
    for (ElementType t : values()) {
      BY_CODE[t.code] = t;
    }
  }

  private final int code;
  private final int bits;
  private final String label;

  ElementType(int code, int bits, String label) {
    this.code = code;
    this.bits = bits;
    this.label = label;
  }

  /** The ONNX {@code TensorProto.DataType} number. */
  public int code() {
    return code;
  }

  /** Storage width of one element in bits; 0 for {@link #STRING} and {@link #UNDEFINED}. */
  public int bits() {
    return bits;
  }

  /** The lower-case name used in the text form, such as {@code float} or {@code int64}. */
  public String label() {
    return label;
  }

  /** Whether this type has a fixed storage width (everything but string and undefined). */
  public boolean isFixedWidth() {
    return bits > 0;
  }

  /** Whether values of this type are packed several to a byte. */
  public boolean isSubByte() {
    return bits > 0 && bits < 8;
  }

  /** Bytes needed to store {@code count} elements, rounding packed types up to a whole byte. */
  public long byteSize(long count) {
    if (!isFixedWidth()) {
      throw new IllegalStateException(label + " has no fixed width");
    }
    return Math.addExact(Math.multiplyExact(count, bits), 7) / 8;
  }

  /** The element type with the given ONNX code, if the code is known. */
  public static Optional<ElementType> fromCode(int code) {
    return code >= 0 && code < BY_CODE.length ? Optional.ofNullable(BY_CODE[code]) : Optional.empty();
  }

  /** The element type with the given text-form name, if any. */
  public static Optional<ElementType> fromLabel(String label) {
    for (ElementType t : values()) {
      if (t.label.equals(label)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return label;
  }
}
