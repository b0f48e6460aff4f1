package dev.modelbridge.tensorflow.bundle;

import dev.modelbridge.ir.ElementType;
import java.util.Optional;
import org.tensorflow.proto.DataType;

/** TensorFlow data types and the IR element types that hold the same bytes. */
public final class TfDataTypes {
  private TfDataTypes() {}

  /** The element type for a TensorFlow dtype; quantized types map to their storage type. */
  public static Optional<ElementType> toElementType(DataType t) {
    ElementType e = switch (t) {
      case DT_FLOAT -> ElementType.FLOAT;
      case DT_DOUBLE -> ElementType.DOUBLE;
      case DT_INT32, DT_QINT32 -> ElementType.INT32;
      case DT_UINT8, DT_QUINT8 -> ElementType.UINT8;
      case DT_INT16, DT_QINT16 -> ElementType.INT16;
      case DT_INT8, DT_QINT8 -> ElementType.INT8;
      case DT_STRING -> ElementType.STRING;
      case DT_COMPLEX64 -> ElementType.COMPLEX64;
      case DT_INT64 -> ElementType.INT64;
      case DT_BOOL -> ElementType.BOOL;
      case DT_BFLOAT16 -> ElementType.BFLOAT16;
      case DT_UINT16, DT_QUINT16 -> ElementType.UINT16;
      case DT_COMPLEX128 -> ElementType.COMPLEX128;
      case DT_HALF -> ElementType.FLOAT16;
      case DT_UINT32 -> ElementType.UINT32;
      case DT_UINT64 -> ElementType.UINT64;
      case DT_FLOAT8_E5M2 -> ElementType.FLOAT8E5M2;
      case DT_FLOAT8_E4M3FN -> ElementType.FLOAT8E4M3FN;
      case DT_INT4 -> ElementType.INT4;
      case DT_UINT4 -> ElementType.UINT4;
      default -> null;
    };
    return Optional.ofNullable(e);
  }

  /** The TensorFlow dtype that stores an element type the same way, if there is one. */
  public static Optional<DataType> fromElementType(ElementType e) {
    DataType t = switch (e) {
      case FLOAT -> DataType.DT_FLOAT;
      case DOUBLE -> DataType.DT_DOUBLE;
      case INT32 -> DataType.DT_INT32;
      case UINT8 -> DataType.DT_UINT8;
      case INT16 -> DataType.DT_INT16;
      case INT8 -> DataType.DT_INT8;
      case STRING -> DataType.DT_STRING;
      case COMPLEX64 -> DataType.DT_COMPLEX64;
      case INT64 -> DataType.DT_INT64;
      case BOOL -> DataType.DT_BOOL;
      case BFLOAT16 -> DataType.DT_BFLOAT16;
      case UINT16 -> DataType.DT_UINT16;
      case COMPLEX128 -> DataType.DT_COMPLEX128;
      case FLOAT16 -> DataType.DT_HALF;
      case UINT32 -> DataType.DT_UINT32;
      case UINT64 -> DataType.DT_UINT64;
      case FLOAT8E5M2 -> DataType.DT_FLOAT8_E5M2;
      case FLOAT8E4M3FN -> DataType.DT_FLOAT8_E4M3FN;
      default -> null;
    };
    return Optional.ofNullable(t);
  }

  /** The TensorFlow name of a dtype without its prefix, such as {@code float} or {@code resource}. */
  public static String label(DataType t) {
    return t.name().startsWith("DT_") ? t.name().substring(3).toLowerCase(java.util.Locale.ROOT) : t.name();
  }
}
