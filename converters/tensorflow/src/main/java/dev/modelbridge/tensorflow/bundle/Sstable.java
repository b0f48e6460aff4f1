package dev.modelbridge.tensorflow.bundle;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the sorted string table TensorFlow writes as {@code variables.index} (LevelDB's table
 * format): a footer pointing at an index block, whose entries point at data blocks; each block
 * holds prefix-compressed keys, restart points, and a trailer with a compression byte and a masked
 * CRC32C. Blocks are stored plain or Snappy-compressed.
 */
final class Sstable {
  static final long MAGIC = 0xdb4775248b80fb57L;
  static final int FOOTER_SIZE = 48;
  private static final int TRAILER_SIZE = 5;

  private Sstable() {}

  /** Every key and value of the table, in key order. Values are views of {@code file}. */
  static Map<String, ByteBuffer> read(ByteBuffer file) throws BundleFormatException {
    ByteBuffer f = file.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (f.remaining() < FOOTER_SIZE) {
      throw new BundleFormatException("index file of " + f.remaining() + " bytes is shorter than a table footer");
    }
    ByteBuffer footer = f.duplicate().position(f.limit() - FOOTER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    long magic = f.getLong(f.limit() - 8);
    if (magic != MAGIC) {
      throw new BundleFormatException("index file does not end in the table magic number");
    }
    Varints.read64(footer); // metaindex offset: bundles have no meta blocks we use
    Varints.read64(footer);
    long indexOffset = Varints.read64(footer);
    long indexSize = Varints.read64(footer);
    Map<String, ByteBuffer> entries = new LinkedHashMap<>();
    ByteBuffer index = block(f, indexOffset, indexSize, "index block");
    for (Map.Entry<String, ByteBuffer> handle : entries(index, "index block").entrySet()) {
      ByteBuffer h = handle.getValue().duplicate();
      long offset = Varints.read64(h);
      long size = Varints.read64(h);
      entries.putAll(entries(block(f, offset, size, "data block ending at key '" + handle.getKey() + "'"), "data block"));
    }
    return entries;
  }

  private static ByteBuffer block(ByteBuffer file, long offset, long size, String what) throws BundleFormatException {
    long end = offset + size + TRAILER_SIZE;
    if (offset < 0 || size < 0 || end > file.limit() - FOOTER_SIZE + 0L || end < offset) {
      throw new BundleFormatException(what + " at " + offset + "+" + size + " lies outside the index file");
    }
    ByteBuffer contents = file.duplicate().position((int) offset).limit((int) (offset + size)).slice();
    byte compression = file.get((int) (offset + size));
    int storedCrc = file.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt((int) (offset + size + 1));
    ByteBuffer checked = file.duplicate().position((int) offset).limit((int) (offset + size + 1)).slice();
    if (Crc32c.unmask(storedCrc) != Crc32c.of(checked)) {
      throw new BundleFormatException(what + " fails its CRC32C check");
    }
    if (compression == 1) {
      return Snappy.decompress(contents);
    }
    if (compression != 0) {
      throw new BundleFormatException(what + " uses unknown compression type " + compression);
    }
    return contents.order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Decodes a block's prefix-compressed entries. */
  private static Map<String, ByteBuffer> entries(ByteBuffer block, String what) throws BundleFormatException {
    if (block.remaining() < 4) {
      throw new BundleFormatException(what + " is too short");
    }
    int restarts = block.getInt(block.limit() - 4);
    long restartBytes = 4L * restarts + 4;
    if (restarts < 0 || restartBytes > block.limit()) {
      throw new BundleFormatException(what + " has a bad restart count " + restarts);
    }
    int dataEnd = (int) (block.limit() - restartBytes);
    ByteBuffer b = block.duplicate().limit(dataEnd);
    Map<String, ByteBuffer> out = new LinkedHashMap<>();
    byte[] key = new byte[0];
    while (b.hasRemaining()) {
      int shared = Varints.read32(b);
      int unshared = Varints.read32(b);
      int valueLength = Varints.read32(b);
      if (shared > key.length || unshared > b.remaining() || valueLength > b.remaining() - unshared) {
        throw new BundleFormatException(what + " has an entry that runs past its end");
      }
      byte[] next = new byte[shared + unshared];
      System.arraycopy(key, 0, next, 0, shared);
      b.get(next, shared, unshared);
      key = next;
      ByteBuffer value = b.slice().limit(valueLength);
      b.position(b.position() + valueLength);
      out.put(new String(key, StandardCharsets.UTF_8), value);
    }
    return out;
  }
}
