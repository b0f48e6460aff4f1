package dev.modelbridge.validate.rules.tensor;

import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.TensorData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * Counts NaN and infinite values of float, double, float16 and bfloat16 data in one pass. Data in a
 * file region is mapped a window of at most {@link #WINDOW} bytes at a time, so tensors of any
 * size (also past the 2 GiB of one buffer) are read once without copying them to the heap.
 */
final class FloatScan {
  /** The largest part of a file mapped at once: 64 MiB, a multiple of every element width. */
  static final long WINDOW = 64L << 20;

  /** The counts, and the index of the first non-finite element (-1 when none). */
  record Result(long nan, long inf, long first) {}

  private long nan;
  private long inf;
  private long first = -1;
  private long index;

  private FloatScan() {}

  static Result scan(ElementType type, TensorData data) {
    return scan(type, data, WINDOW);
  }

  /** Scans with windows of {@code window} bytes (a multiple of the element width), for tests. */
  static Result scan(ElementType type, TensorData data, long window) {
    FloatScan s = new FloatScan();
    if (data instanceof TensorData.FileRegion region) {
      try (FileChannel ch = FileChannel.open(region.file(), StandardOpenOption.READ)) {
        for (long at = 0; at < region.length(); at += window) {
          long len = Math.min(window, region.length() - at);
          s.scan(type, ch.map(FileChannel.MapMode.READ_ONLY, region.offset() + at, len));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + region.file(), e);
      }
    } else {
      s.scan(type, data.bytes());
    }
    return new Result(s.nan, s.inf, s.first);
  }

  private void scan(ElementType type, ByteBuffer raw) {
    ByteBuffer b = raw.order(ByteOrder.LITTLE_ENDIAN);
    switch (type) {
      case FLOAT -> {
        var f = b.asIntBuffer();
        while (f.hasRemaining()) {
          int bits = f.get();
          count((bits & 0x7F800000) == 0x7F800000, (bits & 0x007FFFFF) != 0);
        }
      }
      case DOUBLE -> {
        var d = b.asLongBuffer();
        while (d.hasRemaining()) {
          long bits = d.get();
          count((bits & 0x7FF0000000000000L) == 0x7FF0000000000000L, (bits & 0x000FFFFFFFFFFFFFL) != 0);
        }
      }
      case FLOAT16 -> {
        var h = b.asShortBuffer();
        while (h.hasRemaining()) {
          int bits = h.get();
          count((bits & 0x7C00) == 0x7C00, (bits & 0x03FF) != 0);
        }
      }
      case BFLOAT16 -> {
        var h = b.asShortBuffer();
        while (h.hasRemaining()) {
          int bits = h.get();
          count((bits & 0x7F80) == 0x7F80, (bits & 0x007F) != 0);
        }
      }
      default -> throw new IllegalArgumentException("not a scanned float type: " + type);
    }
  }

  /** Counts one element: all exponent bits set means NaN (mantissa set) or infinity. */
  private void count(boolean special, boolean mantissa) {
    if (special) {
      if (mantissa) {
        nan++;
      } else {
        inf++;
      }
      if (first < 0) {
        first = index;
      }
    }
    index++;
  }
}
