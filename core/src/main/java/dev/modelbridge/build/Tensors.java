package dev.modelbridge.build;

import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;

/** Constant tensors for tests and examples: deterministic pseudo-random values and zeros. */
public final class Tensors {
  private Tensors() {}

  /**
   * A float tensor of the given dims filled with pseudo-random values in [-1, 1), the same for
   * the same seed and dims on every run.
   */
  public static Tensor randomFloats(String name, long seed, long... dims) {
    int count = heapCount(dims, 4);
    SplittableRandom random = new SplittableRandom(seed);
    ByteBuffer bytes = ByteBuffer.allocate(count * 4).order(ByteOrder.LITTLE_ENDIAN);
    FloatBuffer floats = bytes.asFloatBuffer();
    for (int i = 0; i < count; i++) {
      // Only nextLong() (SplitMix64, unchanged since Java 8) is used, because the bounded
      // helpers' algorithms have changed between releases. The top 25 bits give a multiple of
      // 2^-24 in [-1, 1), exact as a float, so no rounding can reach 1.0.
      int bits = (int) (random.nextLong() >>> 39);
      floats.put((bits - (1 << 24)) * 0x1p-24f);
    }
    return Tensor.of(name, ElementType.FLOAT, dims, bytes);
  }

  /**
   * A tensor of the given fixed-width type whose bytes are all zero, which is the value 0 for
   * every such type except {@link ElementType#FLOAT8E8M0}, which has no zero and is refused.
   */
  public static Tensor zeros(String name, ElementType type, long... dims) {
    if (!type.isFixedWidth() || type == ElementType.FLOAT8E8M0) {
      throw new IllegalArgumentException(type + " has no all-zero-bytes zero");
    }
    long count = 1;
    for (long d : dims) {
      count = Math.multiplyExact(count, checkDim(d));
    }
    int size = Math.toIntExact(type.byteSize(count));
    return Tensor.of(name, type, dims, ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN));
  }

  /** The values of a float tensor, in row-major order. */
  public static float[] toFloatArray(Tensor tensor) {
    if (tensor.elementType() != ElementType.FLOAT) {
      throw new IllegalArgumentException("not a float tensor: " + tensor);
    }
    FloatBuffer floats = tensor.data().bytes().asFloatBuffer();
    float[] out = new float[floats.remaining()];
    floats.get(out);
    return out;
  }

  private static int heapCount(long[] dims, int width) {
    long count = 1;
    for (long d : dims) {
      count = Math.multiplyExact(count, checkDim(d));
    }
    if (Math.multiplyExact(count, width) > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(count + " elements do not fit in one heap buffer");
    }
    return (int) count;
  }

  private static long checkDim(long d) {
    if (d < 0) {
      throw new IllegalArgumentException("negative dimension " + d);
    }
    return d;
  }
}
