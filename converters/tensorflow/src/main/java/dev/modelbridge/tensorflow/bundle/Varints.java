package dev.modelbridge.tensorflow.bundle;

import java.nio.ByteBuffer;

/** Little-endian base-128 varints, as LevelDB-style tables write them. */
final class Varints {
  private Varints() {}

  static long read64(ByteBuffer b) throws BundleFormatException {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!b.hasRemaining()) {
        throw new BundleFormatException("truncated varint");
      }
      byte x = b.get();
      result |= (long) (x & 0x7f) << shift;
      if ((x & 0x80) == 0) {
        return result;
      }
    }
    throw new BundleFormatException("varint longer than 10 bytes");
  }

  static int read32(ByteBuffer b) throws BundleFormatException {
    long v = read64(b);
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw new BundleFormatException("varint " + v + " out of range");
    }
    return (int) v;
  }
}
