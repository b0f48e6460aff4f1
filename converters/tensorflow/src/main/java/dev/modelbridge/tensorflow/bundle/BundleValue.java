package dev.modelbridge.tensorflow.bundle;

import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.TensorData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;
import java.util.stream.IntStream;
import java.util.zip.CRC32C;

/** A value {@link TensorBundleWriter} writes under one key: a tensor as it is, or one stored with its axes permuted. */
public sealed interface BundleValue {

  ElementType elementType();

  /** The dims the checkpoint entry declares. */
  long[] dims();

  /** A tensor written as it is. */
  record Whole(Tensor tensor) implements BundleValue {
    @Override
    public ElementType elementType() {
      return tensor.elementType();
    }

    @Override
    public long[] dims() {
      return tensor.dims();
    }
  }

  /**
   * {@code source} stored with its axes permuted by {@code perm} (output axis {@code i} is source
   * axis {@code perm[i]}), declared with {@code dims}: the permuted dims or any shape of the same
   * element count, which views the permuted elements in the same order (a depthwise kernel
   * {@code [kh, kw, 1, C*m]} declared {@code [kh, kw, C, m]}). The permuted bytes never exist as a
   * whole: they are gathered from the source's view (a mapped region of the model for large
   * weights) into one direct buffer of at most {@link #CHUNK_BYTES} bytes, written out whenever it
   * fills, so the heap holds neither the source nor the result.
   */
  record Permuted(Tensor source, int[] perm, long[] dims) implements BundleValue {
    /** The bound of the gather buffer, off the heap, one per value being written. */
    public static final int CHUNK_BYTES = 1 << 20;

    public Permuted {
      if (!canPermute(source)) {
        throw new IllegalArgumentException("only tensors of whole-byte fixed-width elements can be permuted");
      }
      if (!Arrays.equals(Arrays.stream(perm).sorted().toArray(), IntStream.range(0, source.dims().length).toArray())) {
        throw new IllegalArgumentException("perm " + Arrays.toString(perm) + " is not a permutation of the source's axes");
      }
      if (Arrays.stream(dims).reduce(1, (a, b) -> a * b) != source.elementCount()) {
        throw new IllegalArgumentException("dims " + Arrays.toString(dims) + " do not hold " + source.elementCount() + " elements");
      }
      perm = perm.clone();
      dims = dims.clone();
    }

    @Override
    public ElementType elementType() {
      return source.elementType();
    }

    /** Whether {@code t}'s elements are fixed-width whole bytes (not strings, not packed sub-byte types). */
    public static boolean canPermute(Tensor t) {
      return !(t.data() instanceof TensorData.StringList) && elementBytes(t) >= 1;
    }

    /** Element size in bytes, or 0 for packed sub-byte types. */
    static int elementBytes(Tensor t) {
      long n = t.elementCount();
      return n == 0 ? 1 : t.data().byteSize() % n == 0 ? (int) (t.data().byteSize() / n) : 0;
    }

    /** Streams the permuted bytes to {@code out}, updating {@code crc}; returns the byte count. */
    long write(WritableByteChannel out, CRC32C crc) throws IOException {
      long count = source.elementCount();
      int size = elementBytes(source);
      if (count == 0) {
        return 0;
      }
      ByteBuffer src = source.data().bytes().order(ByteOrder.LITTLE_ENDIAN);
      long[] srcDims = source.dims();
      int rank = srcDims.length;
      // Byte stride in the source of a step along each output axis, and the output axes' lengths.
      long[] srcStrides = new long[rank];
      long stride = size;
      for (int a = rank - 1; a >= 0; a--) {
        srcStrides[a] = stride;
        stride *= srcDims[a];
      }
      long[] len = new long[rank];
      long[] step = new long[rank];
      for (int i = 0; i < rank; i++) {
        len[i] = srcDims[perm[i]];
        step[i] = srcStrides[perm[i]];
      }
      ByteBuffer chunk = ByteBuffer.allocateDirect((int) Math.min(CHUNK_BYTES - CHUNK_BYTES % size,
          count * size)).order(ByteOrder.LITTLE_ENDIAN);
      long[] index = new long[rank];
      long at = 0;
      for (long k = 0; k < count; k++) {
        copy(src, Math.toIntExact(at), chunk, size);
        if (!chunk.hasRemaining()) {
          flush(chunk, out, crc);
        }
        // Odometer over the output index, innermost axis fastest.
        for (int i = rank - 1; i >= 0; i--) {
          at += step[i];
          if (++index[i] < len[i]) {
            break;
          }
          at -= step[i] * len[i];
          index[i] = 0;
        }
      }
      if (chunk.position() > 0) {
        flush(chunk, out, crc);
      }
      return count * size;
    }

    private static void copy(ByteBuffer src, int at, ByteBuffer dst, int size) {
      switch (size) {
        case 1 -> dst.put(src.get(at));
        case 2 -> dst.putShort(src.getShort(at));
        case 4 -> dst.putInt(src.getInt(at));
        case 8 -> dst.putLong(src.getLong(at));
        default -> {
          for (int b = 0; b < size; b++) {
            dst.put(src.get(at + b));
          }
        }
      }
    }

    private static void flush(ByteBuffer chunk, WritableByteChannel out, CRC32C crc) throws IOException {
      chunk.flip();
      crc.update(chunk.duplicate());
      while (chunk.hasRemaining()) {
        out.write(chunk);
      }
      chunk.clear();
    }
  }
}
