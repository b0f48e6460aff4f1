package dev.modelbridge.tensorflow.export;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;

/** Transposes a constant tensor held as {@code tensor_content}, for folding a Transpose of a Const. */
final class ConstPermute {
  /** Constants larger than this stay behind their Transpose rather than being copied. */
  private static final long MAX_BYTES = 64L << 20;

  private ConstPermute() {}

  /** {@code t} transposed by {@code perm}, when its bytes are in {@code tensor_content} and its type has a fixed width. */
  static Optional<TensorProto> permute(TensorProto t, long[] perm) {
    long[] dims = StaticDims.dims(t.getTensorShape());
    int width = width(t.getDtype());
    if (dims == null || dims.length != perm.length || width == 0 || t.getTensorContent().isEmpty()
        || t.getTensorContent().size() > MAX_BYTES) {
      return Optional.empty();
    }
    long n = GraphEdit.elements(t);
    if (t.getTensorContent().size() != n * width) {
      return Optional.empty();
    }
    int rank = dims.length;
    long[] inStrides = new long[rank];
    for (int i = rank - 1, s = 1; i >= 0; s *= (int) dims[i], i--) {
      inStrides[i] = s;
    }
    long[] outDims = TransposePass.permute(dims, perm);
    ByteBuffer in = t.getTensorContent().asReadOnlyByteBuffer();
    byte[] out = new byte[(int) (n * width)];
    long[] index = new long[rank];
    for (long k = 0; k < n; k++) {
      long from = 0;
      for (int i = 0; i < rank; i++) {
        from += index[i] * inStrides[(int) perm[i]];
      }
      for (int b = 0; b < width; b++) {
        out[(int) (k * width + b)] = in.get((int) (from * width + b));
      }
      for (int i = rank - 1; i >= 0 && ++index[i] == outDims[i]; i--) {
        index[i] = 0;
      }
    }
    return Optional.of(t.toBuilder().setTensorShape(TfGraph.shape(outDims)).setTensorContent(ByteString.copyFrom(out)).build());
  }

  private static int width(DataType t) {
    return switch (t) {
      case DT_FLOAT, DT_INT32, DT_UINT32 -> 4;
      case DT_DOUBLE, DT_INT64, DT_UINT64, DT_COMPLEX64 -> 8;
      case DT_HALF, DT_BFLOAT16, DT_INT16, DT_UINT16 -> 2;
      case DT_INT8, DT_UINT8, DT_BOOL -> 1;
      default -> 0;
    };
  }
}
