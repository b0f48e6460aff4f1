package dev.modelbridge.tensorflow.bundle;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.modelbridge.ModelException;
import dev.modelbridge.ModelIOException;
import dev.modelbridge.ir.Bytes;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.TensorData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.tensorflow.proto.BundleEntryProto;
import org.tensorflow.proto.BundleHeaderProto;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorShapeProto;

/**
 * A TensorFlow checkpoint in the TensorBundle format, read in pure Java: {@code PREFIX.index} (a
 * sorted table of {@code BundleEntryProto}) and the data shards {@code PREFIX.data-NNNNN-of-MMMMM}.
 * Numeric tensors are views of the memory-mapped shards; nothing is copied until read, and
 * checksums are verified on request ({@link #verify}), since that reads every byte.
 *
 * <p>Shard file names are derived from the prefix and the shard count, never taken from the files,
 * so a checkpoint cannot make the reader open anything outside its folder.
 */
public final class TensorBundle {
  private final Path prefix;
  private final BundleHeaderProto header;
  private final Map<String, BundleEntry> entries;
  private final List<Path> shards;

  private TensorBundle(Path prefix, BundleHeaderProto header, Map<String, BundleEntry> entries, List<Path> shards) {
    this.prefix = prefix;
    this.header = header;
    this.entries = entries;
    this.shards = shards;
  }

  /**
   * Opens the bundle whose index is {@code PREFIX.index}; accepts the prefix, the index file, or a
   * SavedModel {@code variables} folder.
   */
  public static TensorBundle open(Path path) throws ModelException {
    Path prefix = prefixOf(path);
    Path index = Path.of(prefix + ".index");
    try {
      Map<String, ByteBuffer> table = Sstable.read(map(index));
      ByteBuffer rawHeader = table.remove("");
      if (rawHeader == null) {
        throw new BundleFormatException("the index has no header entry");
      }
      BundleHeaderProto header = BundleHeaderProto.parseFrom(rawHeader.duplicate());
      if (header.getEndianness() != BundleHeaderProto.Endianness.LITTLE) {
        throw new BundleFormatException("big-endian checkpoints are not supported");
      }
      if (header.getNumShards() < 0 || header.getNumShards() > 100_000) {
        throw new BundleFormatException("implausible shard count " + header.getNumShards());
      }
      List<Path> shards = new ArrayList<>();
      for (int i = 0; i < header.getNumShards(); i++) {
        shards.add(Path.of(String.format("%s.data-%05d-of-%05d", prefix, i, header.getNumShards())));
      }
      insideFolder(index, prefix);
      for (Path shard : shards) {
        insideFolder(shard, prefix);
      }
      Map<String, BundleEntry> entries = new LinkedHashMap<>();
      for (Map.Entry<String, ByteBuffer> e : table.entrySet()) {
        entries.put(e.getKey(), entry(e.getKey(), e.getValue(), header.getNumShards()));
      }
      return new TensorBundle(prefix, header, entries, shards);
    } catch (InvalidProtocolBufferException e) {
      throw new BundleFormatException("an index entry is not a valid protobuf: " + e.getMessage()).inFile(index);
    } catch (ModelException e) {
      throw e.inFile(index);
    }
  }

  /**
   * A checkpoint file that exists must really be in the prefix's folder: the names are derived
   * from the prefix, so only a symbolic link could lead elsewhere, and that is refused.
   */
  private static void insideFolder(Path file, Path prefix) throws ModelException {
    if (!Files.exists(file)) {
      return; // reported as missing when a tensor of that shard is read
    }
    try {
      Path folder = prefix.toAbsolutePath().getParent().toRealPath();
      if (!file.toRealPath().startsWith(folder)) {
        throw new dev.modelbridge.UnsafePathException("checkpoint file '" + file.getFileName()
            + "' is a symbolic link that leads outside the checkpoint's folder");
      }
      if (linkCount(file) > 1) {
        throw new dev.modelbridge.UnsafePathException("checkpoint file '" + file.getFileName() + "' has "
            + linkCount(file) + " hard links, so it may be a file from outside the checkpoint's folder");
      }
    } catch (IOException e) {
      throw new ModelIOException("cannot resolve " + file, e);
    }
  }

  /** Hard links have no other path to check; a file with several may come from outside the folder. */
  static int linkCount(Path file) throws IOException {
    try {
      return (Integer) Files.getAttribute(file, "unix:nlink");
    } catch (UnsupportedOperationException | IllegalArgumentException notUnix) {
      return 1;
    }
  }

  /** The data shard files, as derived from the prefix and the header's shard count. */
  public List<Path> shardFiles() {
    return List.copyOf(shards);
  }

  private static Path prefixOf(Path path) {
    String s = path.toString();
    if (Files.isDirectory(path)) {
      return path.resolve("variables");
    }
    return s.endsWith(".index") ? Path.of(s.substring(0, s.length() - ".index".length())) : path;
  }

  private static BundleEntry entry(String key, ByteBuffer value, int numShards) throws ModelException {
    BundleEntryProto p;
    try {
      p = BundleEntryProto.parseFrom(value.duplicate());
    } catch (InvalidProtocolBufferException e) {
      throw new BundleFormatException("entry '" + key + "' is not a valid BundleEntryProto");
    }
    if (p.getSlicesCount() > 0) {
      throw new BundleFormatException("entry '" + key + "' is a partitioned (sliced) variable, which is not supported");
    }
    if (p.getShardId() < 0 || p.getShardId() >= Math.max(numShards, 1)) {
      throw new BundleFormatException("entry '" + key + "' names shard " + p.getShardId() + " of " + numShards);
    }
    if (p.getOffset() < 0 || p.getSize() < 0) {
      throw new BundleFormatException("entry '" + key + "' has a negative offset or size");
    }
    List<Long> dims = new ArrayList<>();
    for (TensorShapeProto.Dim d : p.getShape().getDimList()) {
      if (d.getSize() < 0) {
        throw new BundleFormatException("entry '" + key + "' has a negative dimension");
      }
      dims.add(d.getSize());
    }
    return new BundleEntry(key, p.getDtype(), dims, p.getShardId(), p.getOffset(), p.getSize(), p.getCrc32C());
  }

  public Path prefix() {
    return prefix;
  }

  public int numShards() {
    return header.getNumShards();
  }

  /** The checkpoint keys in sorted order (the header entry excluded). */
  public List<String> keys() {
    return List.copyOf(entries.keySet());
  }

  public Optional<BundleEntry> entry(String key) {
    return Optional.ofNullable(entries.get(key));
  }

  public List<Path> shards() {
    return shards;
  }

  /** The tensor stored under {@code key}, named {@code name}; numeric data is a view of its shard. */
  public Tensor tensor(String key, String name) throws ModelException {
    BundleEntry e = entries.get(key);
    if (e == null) {
      throw new BundleFormatException("the checkpoint has no tensor '" + key + "'").inFile(prefix);
    }
    ElementType type = TfDataTypes.toElementType(e.dtype()).orElseThrow(() ->
        new BundleFormatException("tensor '" + key + "' has dtype " + TfDataTypes.label(e.dtype())
            + ", which holds no constant data").inFile(prefix));
    long[] dims = e.dims().stream().mapToLong(Long::longValue).toArray();
    Path shard = checkedShard(e);
    if (type == ElementType.STRING) {
      return new Tensor(name, type, dims, new TensorData.StringList(readStrings(e, shard)), "", List.of());
    }
    long expected = type.byteSize(elementCount(e));
    if (expected != e.size()) {
      throw new BundleFormatException("tensor '" + key + "' holds " + e.size() + " bytes, but its dtype and shape call for "
          + expected).inFile(prefix);
    }
    return Tensor.ofFileRegion(name, type, dims, shard, e.offset(), e.size());
  }

  private static long elementCount(BundleEntry e) throws BundleFormatException {
    try {
      return e.elementCount();
    } catch (ArithmeticException overflow) {
      throw new BundleFormatException("tensor '" + e.key() + "' has dims " + e.dims() + " whose product overflows");
    }
  }

  /** Checks the stored CRC32C of one tensor, reading all its bytes. */
  public void verify(String key) throws ModelException {
    BundleEntry e = entries.get(key);
    if (e == null) {
      throw new BundleFormatException("the checkpoint has no tensor '" + key + "'").inFile(prefix);
    }
    Path shard = checkedShard(e);
    CRC32C crc = new CRC32C();
    ByteBuffer data = region(shard, e);
    if (e.dtype() == DataType.DT_STRING) {
      stringChecksum(e, data, crc);
    } else {
      crc.update(data);
    }
    if ((int) crc.getValue() != Crc32c.unmask(e.maskedCrc32c())) {
      throw new BundleFormatException("tensor '" + key + "' fails its CRC32C check in " + shard.getFileName()
          + " (the data file is corrupt)").inFile(shard);
    }
  }

  /** Checks every tensor's checksum. */
  public void verifyAll() throws ModelException {
    for (String key : entries.keySet()) {
      verify(key);
    }
  }

  private Path checkedShard(BundleEntry e) throws ModelException {
    Path shard = shards.get(e.shard());
    long size;
    try {
      size = Files.size(shard);
    } catch (IOException ex) {
      throw new ModelIOException("cannot read checkpoint shard " + shard.getFileName(), ex).inFile(prefix);
    }
    if (e.offset() > size || e.size() > size - e.offset()) {
      throw new BundleFormatException("tensor '" + e.key() + "' at " + e.offset() + "+" + e.size()
          + " lies past the end of " + shard.getFileName() + " (" + size + " bytes)").inFile(shard);
    }
    return shard;
  }

  private List<Bytes> readStrings(BundleEntry e, Path shard) throws ModelException {
    ByteBuffer b = region(shard, e);
    long n = elementCount(e);
    // Each length takes at least one byte: a count beyond the data is forged; refuse before allocating.
    if (n > b.remaining()) {
      throw new BundleFormatException("string tensor '" + e.key() + "' declares " + n
          + " elements in " + b.remaining() + " bytes").inFile(shard);
    }
    long[] lengths = new long[(int) n];
    for (int i = 0; i < n; i++) {
      lengths[i] = Varints.read64(b);
    }
    if (b.remaining() < 4) {
      throw new BundleFormatException("string tensor '" + e.key() + "' is truncated").inFile(shard);
    }
    b.position(b.position() + 4);
    List<Bytes> out = new ArrayList<>(lengths.length);
    for (long len : lengths) {
      if (len < 0 || len > b.remaining()) {
        throw new BundleFormatException("string tensor '" + e.key() + "' has an element past its end").inFile(shard);
      }
      byte[] s = new byte[(int) len];
      b.get(s);
      out.add(Bytes.copyOf(s));
    }
    return out;
  }

  /**
   * TensorFlow checksums a string tensor over each length as a 32-bit integer (64-bit beyond 4 GiB,
   * for backwards compatibility), then the stored length checksum and the string bytes.
   */
  private static void stringChecksum(BundleEntry e, ByteBuffer data, CRC32C crc) throws BundleFormatException {
    ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    for (long i = 0, count = elementCount(e); i < count; i++) {
      long n = Varints.read64(data);
      length.clear();
      if (n >= 0 && n <= 0xffffffffL) {
        length.putInt((int) n);
      } else {
        length.putLong(n);
      }
      crc.update(length.flip());
    }
    crc.update(data);
  }

  private static ByteBuffer region(Path shard, BundleEntry e) throws ModelException {
    try (FileChannel ch = FileChannel.open(shard, StandardOpenOption.READ)) {
      return ch.map(FileChannel.MapMode.READ_ONLY, e.offset(), e.size()).order(ByteOrder.LITTLE_ENDIAN);
    } catch (IOException ex) {
      throw new ModelIOException("cannot read " + shard.getFileName(), ex);
    }
  }

  private static ByteBuffer map(Path file) throws ModelException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      if (ch.size() > Integer.MAX_VALUE) {
        throw new BundleFormatException("index file larger than 2 GiB");
      }
      return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
    } catch (IOException e) {
      throw new ModelIOException("cannot read checkpoint index", e).inFile(file);
    }
  }
}
