package dev.modelbridge.tensorflow.bundle;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decompresses a raw Snappy block (the compression LevelDB-style tables may use for their blocks):
 * a varint uncompressed length, then literals and back-references. Bounds are checked on every
 * element, so a hostile block ends in an error, never in a read or write out of range.
 */
final class Snappy {
  /** Tables hold small blocks; this bounds what a forged length can make us allocate. */
  static final int MAX_UNCOMPRESSED = 64 << 20;

  private Snappy() {}

  static ByteBuffer decompress(ByteBuffer in) throws BundleFormatException {
    ByteBuffer b = in.duplicate();
    long length = Varints.read64(b);
    if (length < 0 || length > MAX_UNCOMPRESSED) {
      throw new BundleFormatException("snappy block declares " + length + " bytes");
    }
    byte[] out = new byte[(int) length];
    int pos = 0;
    while (b.hasRemaining()) {
      int tag = b.get() & 0xff;
      int kind = tag & 3;
      if (kind == 0) {
        int len = tag >>> 2;
        if (len >= 60) {
          int extra = len - 59;
          len = 0;
          for (int i = 0; i < extra; i++) {
            len |= (next(b) & 0xff) << (8 * i);
          }
        }
        len += 1;
        if (len <= 0 || len > b.remaining() || len > out.length - pos) {
          throw new BundleFormatException("snappy literal runs past the block");
        }
        b.get(out, pos, len);
        pos += len;
        continue;
      }
      int len;
      int offset;
      if (kind == 1) {
        len = ((tag >>> 2) & 7) + 4;
        offset = ((tag >>> 5) << 8) | (next(b) & 0xff);
      } else if (kind == 2) {
        len = (tag >>> 2) + 1;
        offset = (next(b) & 0xff) | (next(b) & 0xff) << 8;
      } else {
        len = (tag >>> 2) + 1;
        offset = (int) ((next(b) & 0xffL) | (next(b) & 0xffL) << 8 | (next(b) & 0xffL) << 16 | (next(b) & 0xffL) << 24);
      }
      if (offset <= 0 || offset > pos || len > out.length - pos) {
        throw new BundleFormatException("snappy copy out of range");
      }
      // Byte by byte: a copy may overlap the bytes it produces (a run).
      for (int i = 0; i < len; i++) {
        out[pos] = out[pos - offset];
        pos++;
      }
    }
    if (pos != out.length) {
      throw new BundleFormatException("snappy block ends after " + pos + " of " + out.length + " bytes");
    }
    return ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static byte next(ByteBuffer b) throws BundleFormatException {
    if (!b.hasRemaining()) {
      throw new BundleFormatException("snappy block truncated");
    }
    return b.get();
  }
}
