package dev.modelbridge.tensorflow.bundle;

import dev.modelbridge.ModelException;
import dev.modelbridge.ModelIOException;
import dev.modelbridge.UnsupportedModelException;
import dev.modelbridge.ir.Bytes;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.TensorData;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.tensorflow.proto.BundleEntryProto;
import org.tensorflow.proto.BundleHeaderProto;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.proto.VersionDef;

/**
 * Writes tensors as a TensorFlow checkpoint in the TensorBundle format (one data shard), the format
 * {@link TensorBundle} reads and TensorFlow's savers restore. Bytes go from each tensor's view
 * (often a mapped region of the input model) to the shard in one pass that also computes the
 * CRC32C; nothing is held on the heap but the small index. A {@link BundleValue.Permuted} value is
 * gathered in a bounded direct buffer on its way (see {@link BundleValue.Permuted#CHUNK_BYTES}).
 */
public final class TensorBundleWriter {
  private TensorBundleWriter() {}

  /** The shard file name of a one-shard bundle: {@code PREFIX.data-00000-of-00001}. */
  public static String dataFileName(String prefixName) {
    return prefixName + ".data-00000-of-00001";
  }

  /** Writes {@code PREFIX.index} and the one data shard next to it. */
  public static void write(Path prefix, Map<String, Tensor> tensors) throws ModelException {
    Map<String, BundleValue> values = new LinkedHashMap<>();
    tensors.forEach((k, t) -> values.put(k, new BundleValue.Whole(t)));
    writeValues(prefix, values);
  }

  /** Writes {@code PREFIX.index} and the one data shard next to it, from whole or permuted values. */
  public static void writeValues(Path prefix, Map<String, BundleValue> values) throws ModelException {
    Path data = Path.of(dataFileName(prefix.toString()));
    Path index = Path.of(prefix + ".index");
    try (FileChannel d = FileChannel.open(data, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
        OutputStream i = new BufferedOutputStream(java.nio.file.Files.newOutputStream(index))) {
      writeValues(values, d, i);
    } catch (IOException e) {
      throw new ModelIOException("cannot write checkpoint " + prefix, e);
    }
  }

  /** Writes the data shard to {@code data} and the index to {@code index}, keys in sorted order. */
  public static void write(Map<String, Tensor> tensors, WritableByteChannel data, OutputStream index)
      throws ModelException, IOException {
    Map<String, BundleValue> values = new LinkedHashMap<>();
    tensors.forEach((k, t) -> values.put(k, new BundleValue.Whole(t)));
    writeValues(values, data, index);
  }

  /** Writes the data shard to {@code data} and the index to {@code index}, keys in sorted order. */
  public static void writeValues(Map<String, BundleValue> values, WritableByteChannel data, OutputStream index)
      throws ModelException, IOException {
    SortedMap<String, BundleValue> sorted = new TreeMap<>(values);
    SstableWriter table = new SstableWriter(index);
    BundleHeaderProto header = BundleHeaderProto.newBuilder()
        .setNumShards(1)
        .setEndianness(BundleHeaderProto.Endianness.LITTLE)
        .setVersion(VersionDef.newBuilder().setProducer(1))
        .build();
    table.add("", header.toByteArray());
    long offset = 0;
    for (Map.Entry<String, BundleValue> e : sorted.entrySet()) {
      BundleValue t = e.getValue();
      DataType dtype = TfDataTypes.fromElementType(t.elementType()).orElseThrow(() ->
          new UnsupportedModelException("tensor '" + e.getKey() + "' has element type " + t.elementType()
              + ", which TensorFlow checkpoints cannot hold"));
      CRC32C crc = new CRC32C();
      long size;
      if (t instanceof BundleValue.Permuted p) {
        size = p.write(data, crc);
      } else {
        Tensor whole = ((BundleValue.Whole) t).tensor();
        size = whole.data() instanceof TensorData.StringList s
            ? writeStrings(s, data, crc)
            : writeBytes(whole.data().bytes(), data, crc);
      }
      TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
      for (long d : t.dims()) {
        shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
      }
      BundleEntryProto entry = BundleEntryProto.newBuilder()
          .setDtype(dtype)
          .setShape(shape)
          .setShardId(0)
          .setOffset(offset)
          .setSize(size)
          .setCrc32C(Crc32c.mask((int) crc.getValue()))
          .build();
      table.add(e.getKey(), entry.toByteArray());
      offset += size;
    }
    table.finish();
    index.flush();
  }

  private static long writeBytes(ByteBuffer bytes, WritableByteChannel out, CRC32C crc) throws IOException {
    crc.update(bytes.duplicate());
    long n = bytes.remaining();
    while (bytes.hasRemaining()) {
      out.write(bytes);
    }
    return n;
  }

  /** Lengths as varints, a masked checksum of the lengths, then the bytes; as TensorFlow writes them. */
  private static long writeStrings(TensorData.StringList s, WritableByteChannel out, CRC32C crc) throws IOException {
    ByteArrayOutputStream lengths = new ByteArrayOutputStream();
    ByteBuffer len = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    for (Bytes b : s.strings()) {
      SstableWriter.putVarint(lengths, b.size());
      crc.update(len.clear().putInt(b.size()).flip());
    }
    ByteBuffer lengthChecksum = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
        .putInt(Crc32c.mask((int) crc.getValue())).flip();
    crc.update(lengthChecksum.duplicate());
    long n = writeBytes(ByteBuffer.wrap(lengths.toByteArray()), out, new CRC32C());
    n += writeBytes(lengthChecksum, out, new CRC32C());
    for (Bytes b : s.strings()) {
      n += writeBytes(ByteBuffer.wrap(b.toByteArray()), out, crc);
    }
    return n;
  }
}
