package dev.modelbridge.tensorflow.bundle;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * CRC32C as TensorFlow's table and bundle formats store it: "masked", so that a CRC of data that
 * itself holds CRCs does not collapse (rotate right by 15 bits, add a constant).
 */
final class Crc32c {
  private static final int MASK_DELTA = 0xa282ead8;

  private Crc32c() {}

  static int of(ByteBuffer data) {
    CRC32C crc = new CRC32C();
    crc.update(data.duplicate());
    return (int) crc.getValue();
  }


  static int mask(int crc) {
    return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
  }

  static int unmask(int masked) {
    int rot = masked - MASK_DELTA;
    return (rot >>> 17) | (rot << 15);
  }
}
