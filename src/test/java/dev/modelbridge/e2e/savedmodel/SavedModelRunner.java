package dev.modelbridge.e2e.savedmodel;

import com.google.protobuf.ByteString;
import dev.modelbridge.e2e.support.ReferenceData;
import dev.modelbridge.e2e.support.TensorValue;
import dev.modelbridge.schemas.onnx.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.RawTensor;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TType;

/**
 * Runs a SavedModel's {@code serving_default} signature in TensorFlow (2.18 through TensorFlow
 * Java), the independent oracle of the SavedModel writer: TensorFlow's own loader restores the
 * variables through the SaverDef and executes the graph with its CPU kernels.
 */
final class SavedModelRunner {
  private SavedModelRunner() {}

  /** A value TensorFlow Java cannot take or give (a type it has no class for). */
  static final class UnsupportedValueException extends Exception {
    private static final long serialVersionUID = 1L;

    UnsupportedValueException(String message) {
      super(message);
    }
  }

  /** The outputs of the signature for {@code inputs}, by signature key. */
  static Map<String, TensorValue> run(Path dir, List<ReferenceData.Value> inputs) throws UnsupportedValueException {
    List<Tensor> owned = new ArrayList<>();
    try (SavedModelBundle b = SavedModelBundle.load(dir.toString(), "serve")) {
      Map<String, Tensor> feeds = new LinkedHashMap<>();
      for (ReferenceData.Value v : inputs) {
        Tensor t = toTf(v.tensor());
        owned.add(t);
        feeds.put(v.name(), t);
      }
      Map<String, TensorValue> out = new LinkedHashMap<>();
      try (Result r = b.function("serving_default").call(feeds)) {
        for (Map.Entry<String, Tensor> e : r) {
          out.put(e.getKey(), fromTf(e.getValue()));
        }
      }
      return out;
    } finally {
      owned.forEach(Tensor::close);
    }
  }

  private static Tensor toTf(TensorValue v) throws UnsupportedValueException {
    if (v.dataType() == TensorProto.DataType.STRING_VALUE) {
      String[] s = new String[(int) v.size()];
      for (int i = 0; i < s.length; i++) {
        s[i] = v.getString(i);
      }
      return TString.tensorOf(Shape.of(v.shape()), DataBuffers.ofObjects(s));
    }
    Class<? extends TType> type;
    int width;
    switch (v.dataType()) {
      case TensorProto.DataType.FLOAT_VALUE -> { type = TFloat32.class; width = 4; }
      case TensorProto.DataType.DOUBLE_VALUE -> { type = TFloat64.class; width = 8; }
      case TensorProto.DataType.INT32_VALUE -> { type = TInt32.class; width = 4; }
      case TensorProto.DataType.INT64_VALUE -> { type = TInt64.class; width = 8; }
      case TensorProto.DataType.UINT8_VALUE -> { type = TUint8.class; width = 1; }
      case TensorProto.DataType.BOOL_VALUE -> { type = TBool.class; width = 1; }
      default -> throw new UnsupportedValueException("TensorFlow Java has no tensor class for ONNX type " + v.dataType());
    }
    ByteBuffer b = ByteBuffer.allocate((int) v.size() * width).order(ByteOrder.nativeOrder());
    for (long i = 0; i < v.size(); i++) {
      switch (width) {
        case 4 -> {
          if (type == TFloat32.class) {
            b.putFloat((float) v.getDouble(i));
          } else {
            b.putInt((int) v.getLong(i));
          }
        }
        case 8 -> {
          if (type == TFloat64.class) {
            b.putDouble(v.getDouble(i));
          } else {
            b.putLong(v.getLong(i));
          }
        }
        default -> b.put((byte) v.getLong(i));
      }
    }
    return Tensor.of(type, Shape.of(v.shape()), DataBuffers.of(b.array(), true, false));
  }

  private static TensorValue fromTf(Tensor t) throws UnsupportedValueException {
    if (t instanceof TString s) {
      byte[][] bytes = new byte[(int) s.size()][];
      s.asBytes().copyTo(DataBuffers.ofObjects(bytes));
      TensorProto.Builder p = TensorProto.newBuilder().setDataType(TensorProto.DataType.STRING_VALUE);
      for (byte[] b : bytes) {
        p.addStringData(ByteString.copyFrom(b));
      }
      for (long d : t.shape().asArray()) {
        p.addDims(d);
      }
      return TensorValue.fromProto(p.build());
    }
    int onnxType = switch (t.dataType()) {
      case DT_FLOAT -> TensorProto.DataType.FLOAT_VALUE;
      case DT_DOUBLE -> TensorProto.DataType.DOUBLE_VALUE;
      case DT_INT32 -> TensorProto.DataType.INT32_VALUE;
      case DT_INT64 -> TensorProto.DataType.INT64_VALUE;
      case DT_UINT8 -> TensorProto.DataType.UINT8_VALUE;
      case DT_BOOL -> TensorProto.DataType.BOOL_VALUE;
      case DT_HALF -> TensorProto.DataType.FLOAT16_VALUE;
      default -> -1;
    };
    if (onnxType < 0 || ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      throw new UnsupportedValueException("cannot read a TensorFlow output of " + t.dataType());
    }
    RawTensor raw = t.asRawTensor();
    byte[] bytes = new byte[(int) raw.numBytes()];
    raw.data().read(bytes);
    TensorProto.Builder p = TensorProto.newBuilder().setDataType(onnxType).setRawData(ByteString.copyFrom(bytes));
    for (long d : t.shape().asArray()) {
      p.addDims(d);
    }
    return TensorValue.fromProto(p.build());
  }
}
