package dev.modelbridge.ir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A constant tensor: element type, dims and data, with an optional name (initializers have one,
 * attribute values may not). Immutable; the data is a view, never copied by this class.
 */
public final class Tensor {
  private final String name;
  private final ElementType elementType;
  private final long[] dims;
  private final TensorData data;
  private final String docString;
  private final List<StringPair> metadata;

  public Tensor(
      String name,
      ElementType elementType,
      long[] dims,
      TensorData data,
      String docString,
      List<StringPair> metadata) {
    this.name = Strings.orEmpty(name);
    this.elementType = elementType;
    this.dims = dims.clone();
    this.data = data;
    this.docString = Strings.orEmpty(docString);
    this.metadata = List.copyOf(metadata);
  }

  /** A tensor over the given little-endian bytes (not copied). */
  public static Tensor of(String name, ElementType type, long[] dims, ByteBuffer littleEndian) {
    return new Tensor(name, type, dims, new TensorData.InMemory(littleEndian), "", List.of());
  }

  /** A tensor whose bytes are a region of a file, mapped when read. */
  public static Tensor ofFileRegion(
      String name, ElementType type, long[] dims, Path file, long offset, long length) {
    return new Tensor(
        name, type, dims, new TensorData.FileRegion(file, offset, length, Optional.empty()), "", List.of());
  }

  public static Tensor ofFloats(String name, long[] dims, float... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return of(name, ElementType.FLOAT, dims, b);
  }

  public static Tensor ofInt64s(String name, long[] dims, long... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(values);
    return of(name, ElementType.INT64, dims, b);
  }

  public static Tensor ofInt32s(String name, long[] dims, int... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asIntBuffer().put(values);
    return of(name, ElementType.INT32, dims, b);
  }

  public static Tensor ofStrings(String name, long[] dims, List<Bytes> values) {
    return new Tensor(name, ElementType.STRING, dims, new TensorData.StringList(values), "", List.of());
  }

  /** A scalar float tensor. */
  public static Tensor scalar(String name, float value) {
    return ofFloats(name, new long[0], value);
  }

  public String name() {
    return name;
  }

  public ElementType elementType() {
    return elementType;
  }

  public long[] dims() {
    return dims.clone();
  }

  public int rank() {
    return dims.length;
  }

  public TensorData data() {
    return data;
  }

  public String docString() {
    return docString;
  }

  public List<StringPair> metadata() {
    return metadata;
  }

  /** The product of the dims (1 for a scalar). */
  public long elementCount() {
    long n = 1;
    for (long d : dims) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /**
   * Bytes the dims and element type call for, or -1 for strings, undefined types, negative dims, or
   * dims whose product does not fit in a long (a hostile file can declare any dims).
   */
  public long expectedByteSize() {
    if (!elementType.isFixedWidth()) {
      return -1;
    }
    for (long d : dims) {
      if (d < 0) {
        return -1;
      }
    }
    try {
      return elementType.byteSize(elementCount());
    } catch (ArithmeticException overflow) {
      return -1;
    }
  }

  /** The tensor's type, as a graph value would declare it. */
  public Type.TensorType type() {
    return Type.tensor(elementType, dims);
  }

  public Tensor withName(String newName) {
    return new Tensor(newName, elementType, dims, data, docString, metadata);
  }

  public Tensor withData(TensorData newData) {
    return new Tensor(name, elementType, dims, newData, docString, metadata);
  }

  @Override
  public String toString() {
    return (name.isEmpty() ? "" : name + ": ") + elementType.label() + Arrays.toString(dims);
  }
}
