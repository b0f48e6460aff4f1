package dev.modelbridge.infer;

import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.TensorData;
import java.nio.ByteBuffer;
import java.util.Optional;

/** Reads the values of small numeric constant tensors, for inputs that carry shapes or scales. */
final class TensorValues {
  /** Larger tensors are never read: shape-carrying inputs are short, weights are not needed. */
  static final int MAX_ELEMENTS = 1024;

  private TensorValues() {}

  /** The values of an integer or boolean tensor, if small and readable. */
  static Optional<long[]> longs(Tensor t) {
    Optional<ByteBuffer> b = buffer(t);
    if (b.isEmpty()) {
      return Optional.empty();
    }
    int n = (int) t.elementCount();
    ByteBuffer buf = b.get();
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      switch (t.elementType()) {
        case INT64, UINT64 -> out[i] = buf.getLong(i * 8);
        case INT32 -> out[i] = buf.getInt(i * 4);
        case UINT32 -> out[i] = Integer.toUnsignedLong(buf.getInt(i * 4));
        case INT16 -> out[i] = buf.getShort(i * 2);
        case UINT16 -> out[i] = Short.toUnsignedInt(buf.getShort(i * 2));
        case INT8 -> out[i] = buf.get(i);
        case UINT8, BOOL -> out[i] = Byte.toUnsignedInt(buf.get(i));
        default -> {
          return Optional.empty();
        }
      }
    }
    return Optional.of(out);
  }

  /** The values of a float, double or integer tensor, if small and readable. */
  static Optional<double[]> doubles(Tensor t) {
    ElementType e = t.elementType();
    if (e != ElementType.FLOAT && e != ElementType.DOUBLE) {
      return longs(t).map(ls -> java.util.Arrays.stream(ls).asDoubleStream().toArray());
    }
    Optional<ByteBuffer> b = buffer(t);
    if (b.isEmpty()) {
      return Optional.empty();
    }
    int n = (int) t.elementCount();
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = e == ElementType.FLOAT ? b.get().getFloat(i * 4) : b.get().getDouble(i * 8);
    }
    return Optional.of(out);
  }

  private static Optional<ByteBuffer> buffer(Tensor t) {
    if (!t.elementType().isFixedWidth() || t.elementType().isSubByte()) {
      return Optional.empty();
    }
    long[] dims = t.dims();
    for (long d : dims) {
      if (d < 0) {
        return Optional.empty();
      }
    }
    long n = t.elementCount();
    if (n > MAX_ELEMENTS) {
      return Optional.empty();
    }
    TensorData data = t.data();
    if (data.byteSize() < t.expectedByteSize()) {
      return Optional.empty(); // a too-short tensor is another rule's finding; know nothing
    }
    try {
      return Optional.of(data.bytes());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
