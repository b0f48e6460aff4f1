package dev.modelbridge.tensorflow.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a sorted string table in the format {@link Sstable} reads (LevelDB's): uncompressed data
 * blocks of about 4 KiB with prefix-compressed keys and a restart point every 16 entries, an empty
 * meta-index block, an index block, and the footer with the magic number.
 */
final class SstableWriter {
  private static final int BLOCK_SIZE = 4096;
  private static final int RESTART_INTERVAL = 16;

  private final OutputStream out;
  private long offset;
  private BlockBuilder data = new BlockBuilder();
  private final BlockBuilder index = new BlockBuilder();
  private byte[] lastKey;

  SstableWriter(OutputStream out) {
    this.out = out;
  }

  /** Adds an entry; keys must come in strictly increasing byte order. */
  void add(String key, byte[] value) throws IOException {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    if (lastKey != null && Arrays.compareUnsigned(lastKey, k) >= 0) {
      throw new IllegalArgumentException("keys out of order: '" + key + "'");
    }
    data.add(k, value);
    lastKey = k;
    if (data.size() >= BLOCK_SIZE) {
      flushData();
    }
  }

  void finish() throws IOException {
    if (!data.isEmpty()) {
      flushData();
    }
    long[] meta = writeBlock(new BlockBuilder().finish());
    long[] idx = writeBlock(index.finish());
    ByteArrayOutputStream footer = new ByteArrayOutputStream();
    putVarint(footer, meta[0]);
    putVarint(footer, meta[1]);
    putVarint(footer, idx[0]);
    putVarint(footer, idx[1]);
    while (footer.size() < Sstable.FOOTER_SIZE - 8) {
      footer.write(0);
    }
    ByteBuffer magic = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(Sstable.MAGIC);
    footer.write(magic.array());
    out.write(footer.toByteArray());
    offset += footer.size();
  }

  private void flushData() throws IOException {
    long[] handle = writeBlock(data.finish());
    ByteArrayOutputStream h = new ByteArrayOutputStream();
    putVarint(h, handle[0]);
    putVarint(h, handle[1]);
    index.add(lastKey, h.toByteArray());
    data = new BlockBuilder();
  }

  /** Writes a block and its trailer; returns its offset and size. */
  private long[] writeBlock(byte[] contents) throws IOException {
    long at = offset;
    out.write(contents);
    ByteBuffer trailer = ByteBuffer.allocate(5).order(ByteOrder.LITTLE_ENDIAN);
    trailer.put((byte) 0);
    ByteBuffer checked = ByteBuffer.allocate(contents.length + 1).put(contents).put((byte) 0).flip();
    trailer.putInt(Crc32c.mask(Crc32c.of(checked)));
    out.write(trailer.array());
    offset += contents.length + 5L;
    return new long[] {at, contents.length};
  }

  static void putVarint(ByteArrayOutputStream b, long v) {
    while ((v & ~0x7fL) != 0) {
      b.write((int) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    b.write((int) v);
  }

  /** One block: prefix-compressed entries and the restart array. */
  private static final class BlockBuilder {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final List<Integer> restarts = new ArrayList<>(List.of(0));
    private byte[] last = new byte[0];
    private int sinceRestart;
    private int entries;

    void add(byte[] key, byte[] value) {
      int shared = 0;
      if (sinceRestart < RESTART_INTERVAL) {
        int max = Math.min(last.length, key.length);
        while (shared < max && last[shared] == key[shared]) {
          shared++;
        }
      } else {
        restarts.add(buf.size());
        sinceRestart = 0;
      }
      putVarint(buf, shared);
      putVarint(buf, key.length - shared);
      putVarint(buf, value.length);
      buf.write(key, shared, key.length - shared);
      buf.write(value, 0, value.length);
      last = key;
      sinceRestart++;
      entries++;
    }

    int size() {
      return buf.size() + 4 * restarts.size() + 4;
    }

    boolean isEmpty() {
      return entries == 0;
    }

    byte[] finish() {
      ByteBuffer tail = ByteBuffer.allocate(4 * restarts.size() + 4).order(ByteOrder.LITTLE_ENDIAN);
      restarts.forEach(tail::putInt);
      tail.putInt(restarts.size());
      buf.write(tail.array(), 0, tail.capacity());
      return buf.toByteArray();
    }
  }
}
