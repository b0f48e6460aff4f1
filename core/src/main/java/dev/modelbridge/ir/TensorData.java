package dev.modelbridge.ir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * The bytes of a tensor: a buffer (owned, or aliasing a mapped model file), a region of a file that
 * is mapped only when read, or a list of strings. Fixed-width data is little-endian, packed for
 * sub-byte types, as ONNX stores it; nothing here copies weights onto the heap.
 */
public sealed interface TensorData {

  /** Size of the data in bytes (for strings, the sum of their lengths). */
  long byteSize();

  /**
   * A read-only little-endian view of fixed-width data, positioned at 0. A file region is mapped
   * on each call; the mapping is released when the view is collected.
   *
   * @throws UncheckedIOException when a file region cannot be mapped
   * @throws IllegalStateException for string data
   */
  ByteBuffer bytes();

  /** Data held in a buffer: an owned heap or direct buffer, or a view of a mapped model file. */
  record InMemory(ByteBuffer buffer) implements TensorData {
    public InMemory {
      buffer = buffer.slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public long byteSize() {
      return buffer.remaining();
    }

    @Override
    public ByteBuffer bytes() {
      return buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }
  }

  /**
   * Data in a region of a file, already checked to lie inside the file. {@code source} keeps what an
   * ONNX file's external-data entries said, when the region came from there.
   */
  record FileRegion(Path file, long offset, long length, Optional<ExternalLocation> source)
      implements TensorData {

    @Override
    public long byteSize() {
      return length;
    }

    @Override
    public ByteBuffer bytes() {
      if (length > Integer.MAX_VALUE) {
        throw new UnsupportedOperationException(
            "a single tensor of " + length + " bytes is larger than one buffer can view (2 GiB)");
      }
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
        return ch.map(FileChannel.MapMode.READ_ONLY, offset, length)
            .asReadOnlyBuffer()
            .order(ByteOrder.LITTLE_ENDIAN);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot map " + file + " at offset " + offset, e);
      }
    }
  }

  /** The elements of a string tensor. */
  record StringList(List<Bytes> strings) implements TensorData {
    public StringList {
      strings = List.copyOf(strings);
    }

    @Override
    public long byteSize() {
      return strings.stream().mapToLong(Bytes::size).sum();
    }

    @Override
    public ByteBuffer bytes() {
      throw new IllegalStateException("string tensors have no fixed-width bytes");
    }
  }
}
