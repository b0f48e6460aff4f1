package dev.modelbridge.onnx;

import dev.modelbridge.InvalidModelException;
import dev.modelbridge.ModelException;
import dev.modelbridge.UnsupportedModelException;
import dev.modelbridge.ir.Bytes;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.ExternalLocation;
import dev.modelbridge.ir.SparseTensor;
import dev.modelbridge.ir.StringPair;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.TensorData;
import dev.modelbridge.schemas.onnx.SparseTensorProto;
import dev.modelbridge.schemas.onnx.StringStringEntryProto;
import dev.modelbridge.schemas.onnx.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a {@code TensorProto} into an IR tensor. raw_data stays a view of the parsed (mapped)
 * buffer; typed fields ({@code float_data}, {@code int32_data}, ...) are decoded to little-endian
 * bytes, which is the one normalisation of tensor encodings the writer makes.
 */
final class TensorDecoder {
  private final ExternalDataResolver externalData;

  TensorDecoder(ExternalDataResolver externalData) {
    this.externalData = externalData;
  }

  Tensor decode(TensorProto t) throws ModelException {
    ElementType type = ElementType.fromCode(t.getDataType())
        .orElseThrow(() -> new InvalidModelException("unknown data_type " + t.getDataType()));
    if (t.hasSegment()) {
      throw new UnsupportedModelException("segmented tensors (TensorProto.segment) are not supported");
    }
    long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
    // Negative dims are kept, not refused, so that the validator can report them precisely.
    Tensor shell = new Tensor(t.getName(), type, dims, new TensorData.StringList(List.of()),
        t.getDocString(), metadata(t.getMetadataPropsList()));
    return shell.withData(data(t, type, shell.expectedByteSize()));
  }

  SparseTensor decodeSparse(SparseTensorProto s) throws ModelException {
    if (!s.hasValues() || !s.hasIndices()) {
      throw new InvalidModelException("sparse tensor lacks its values or indices");
    }
    return new SparseTensor(decode(s.getValues()), decode(s.getIndices()), s.getDimsList());
  }

  private TensorData data(TensorProto t, ElementType type, long expectedBytes) throws ModelException {
    boolean external = t.getDataLocation() == TensorProto.DataLocation.EXTERNAL;
    if (external || t.getExternalDataCount() > 0) {
      if (!external) {
        throw new InvalidModelException("external_data entries present but data_location is not EXTERNAL");
      }
      if (type == ElementType.STRING) {
        throw new InvalidModelException("string tensors cannot be stored as external data");
      }
      return externalData.resolve(new ExternalLocation(metadata(t.getExternalDataList())), expectedBytes);
    }
    if (type == ElementType.STRING) {
      List<Bytes> strings = new ArrayList<>(t.getStringDataCount());
      t.getStringDataList().forEach(s -> strings.add(Bytes.copyOf(s.toByteArray())));
      return new TensorData.StringList(strings);
    }
    if (t.hasRawData()) {
      return new TensorData.InMemory(t.getRawData().asReadOnlyByteBuffer());
    }
    return new TensorData.InMemory(decodeTypedFields(t, type));
  }

  /** Decodes the typed repeated fields into the raw layout ONNX defines for raw_data. */
  private static ByteBuffer decodeTypedFields(TensorProto t, ElementType type) throws InvalidModelException {
    String used = typedFieldFor(type);
    checkOnlyField(t, used);
    ByteBuffer b;
    switch (type) {
      case FLOAT, COMPLEX64 -> {
        b = allocate(t.getFloatDataCount(), 4);
        t.getFloatDataList().forEach(b::putFloat);
      }
      case DOUBLE, COMPLEX128 -> {
        b = allocate(t.getDoubleDataCount(), 8);
        t.getDoubleDataList().forEach(b::putDouble);
      }
      case INT64 -> {
        b = allocate(t.getInt64DataCount(), 8);
        t.getInt64DataList().forEach(b::putLong);
      }
      case UINT64 -> {
        b = allocate(t.getUint64DataCount(), 8);
        t.getUint64DataList().forEach(b::putLong);
      }
      case UINT32 -> {
        b = allocate(t.getUint64DataCount(), 4);
        t.getUint64DataList().forEach(v -> b.putInt((int) v.longValue()));
      }
      case INT32 -> {
        b = allocate(t.getInt32DataCount(), 4);
        t.getInt32DataList().forEach(b::putInt);
      }
      case INT16, UINT16, FLOAT16, BFLOAT16 -> {
        b = allocate(t.getInt32DataCount(), 2);
        t.getInt32DataList().forEach(v -> b.putShort((short) v.intValue()));
      }
      default -> {
        // One byte per int32 element: 8-bit types, and the packed bytes of 4- and 2-bit types.
        b = allocate(t.getInt32DataCount(), 1);
        t.getInt32DataList().forEach(v -> b.put((byte) v.intValue()));
      }
    }
    return b.flip();
  }

  private static ByteBuffer allocate(int count, int width) {
    return ByteBuffer.allocate(Math.multiplyExact(count, width)).order(ByteOrder.LITTLE_ENDIAN);
  }

  static String typedFieldFor(ElementType type) {
    return switch (type) {
      case FLOAT, COMPLEX64 -> "float_data";
      case DOUBLE, COMPLEX128 -> "double_data";
      case INT64 -> "int64_data";
      case UINT32, UINT64 -> "uint64_data";
      case STRING -> "string_data";
      default -> "int32_data";
    };
  }

  private static void checkOnlyField(TensorProto t, String used) throws InvalidModelException {
    int[] counts = {t.getFloatDataCount(), t.getDoubleDataCount(), t.getInt64DataCount(),
        t.getUint64DataCount(), t.getInt32DataCount(), t.getStringDataCount()};
    String[] names = {"float_data", "double_data", "int64_data", "uint64_data", "int32_data", "string_data"};
    for (int i = 0; i < names.length; i++) {
      if (counts[i] > 0 && !names[i].equals(used)) {
        throw new InvalidModelException(names[i] + " holds data, but data type "
            + ElementType.fromCode(t.getDataType()).map(Object::toString).orElse("?")
            + " is stored in " + used);
      }
    }
  }

  static List<StringPair> metadata(List<StringStringEntryProto> entries) {
    List<StringPair> out = new ArrayList<>(entries.size());
    for (StringStringEntryProto e : entries) {
      out.add(new StringPair(e.getKey(), e.getValue()));
    }
    return out;
  }
}
