package dev.modelbridge.tensorflow.bundle;

import java.util.List;
import org.tensorflow.proto.DataType;

/**
 * Where one checkpointed tensor lives: its dtype and shape, the data shard, and the byte range
 * there, with the masked CRC32C of its bytes.
 */
public record BundleEntry(
    String key, DataType dtype, List<Long> dims, int shard, long offset, long size, int maskedCrc32c) {

  public BundleEntry {
    dims = List.copyOf(dims);
  }

  public long elementCount() {
    long n = 1;
    for (long d : dims) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }
}
