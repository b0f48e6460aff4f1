package dev.modelbridge.e2e.scale;

import dev.modelbridge.ModelException;
import dev.modelbridge.build.GraphBuilder;
import dev.modelbridge.format.StagedOutput;
import dev.modelbridge.format.WriteOptions;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.Type;
import dev.modelbridge.onnx.OnnxFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * Generates a large ONNX model without ever holding its weights on the heap: a chain
 * {@code x[1,n] -> MatMul W0 -> ... -> MatMul W(k-1) -> y[1,n]} of {@code k} float matrices
 * {@code n x n}. The default 48 matrices of 4096 x 4096 make 3 GiB of weights.
 *
 * <p>The weights are first written in bulk to a raw file from one reused direct buffer; the
 * initializers are then {@link Tensor#ofFileRegion} views of that file, and the ONNX writer copies
 * them channel to channel into the model's external-data file. The heap only ever holds the graph
 * structure and a few small buffers, whatever the model size.
 *
 * <p>Runnable on its own for benchmarks: {@code ScaleModelGenerator DIR [layers] [size]}.
 */
public final class ScaleModelGenerator {
  public static final int DEFAULT_SIZE = 4096;
  public static final int DEFAULT_LAYERS = 48;
  public static final long DEFAULT_SEED = 0x5CA1EL;
  public static final int OPSET = 17;
  /** The model file name; its external data is written next to it as {@code scale.onnx.data}. */
  public static final String MODEL_NAME = "scale.onnx";

  /** 4 MiB per write: large enough for bulk I/O, small enough to stay out of the way. */
  private static final int CHUNK_FLOATS = 1 << 20;

  /** What {@link #generate} wrote and how long it took. */
  public record Generated(Path model, Path sideFile, int layers, int size, long weightBytes, Duration elapsed) {}

  private ScaleModelGenerator() {}

  /**
   * Writes {@code dir/scale.onnx} and {@code dir/scale.onnx.data}. The raw weights file used as
   * the source is deleted afterwards, since the model's side file holds a copy.
   */
  public static Generated generate(Path dir, int layers, int size, long seed) throws IOException, ModelException {
    long start = System.nanoTime();
    Files.createDirectories(dir);
    Path raw = dir.resolve("weights.raw");
    long matrixBytes = (long) size * size * Float.BYTES;
    writeWeights(raw, layers, size, seed);
    Path model = dir.resolve(MODEL_NAME);
    try {
      Model m = chainModel(raw, layers, size, matrixBytes);
      try (StagedOutput out = new StagedOutput(model, true)) {
        new OnnxFormat().write(m, out, WriteOptions.defaults().withExternalData(true));
        out.commit();
      }
    } finally {
      Files.deleteIfExists(raw);
    }
    return new Generated(model, dir.resolve(MODEL_NAME + ".data"), layers, size, layers * matrixBytes,
        Duration.ofNanos(System.nanoTime() - start));
  }

  /**
   * Fills {@code file} with {@code layers} row-major {@code size x size} float matrices, one after
   * the other, little-endian as ONNX stores them.
   *
   * <p>Values are uniform in [-a, a) with {@code a = sqrt(3 / size)}, which gives each weight the
   * variance {@code 1 / size}: a matrix-vector product then keeps the vector's norm about the same,
   * so 48 products in a row stay far from both overflow and underflow, and the output is a
   * meaningful value to compare rather than zeros or infinities.
   */
  static void writeWeights(Path file, int layers, int size, long seed) throws IOException {
    float scale = (float) Math.sqrt(3.0 / size);
    long total = (long) layers * size * size;
    ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK_FLOATS * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    FloatBuffer floats = buffer.asFloatBuffer();
    long state = seed;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      for (long done = 0; done < total; ) {
        int n = (int) Math.min(CHUNK_FLOATS, total - done);
        // SplitMix64, written out so the stream is fixed by this file alone; each 64-bit value
        // yields two floats, 24 random bits each (a multiple of 2^-23 in [-1, 1), exact as float).
        for (int i = 0; i < n; i += 2) {
          state += 0x9E3779B97F4A7C15L;
          long z = state;
          z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
          z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
          z ^= z >>> 31;
          floats.put(i, ((int) (z >>> 40) - (1 << 23)) * 0x1p-23f * scale);
          if (i + 1 < n) {
            floats.put(i + 1, ((int) ((z >>> 8) & 0xFFFFFF) - (1 << 23)) * 0x1p-23f * scale);
          }
        }
        buffer.clear().limit(n * Float.BYTES);
        while (buffer.hasRemaining()) {
          ch.write(buffer);
        }
        done += n;
      }
      ch.force(false);
    }
  }

  /**
   * Element {@code index} of the stream {@link #writeWeights} writes (counted over all matrices),
   * computed directly, so that a test can spot-check weights read back from any file without
   * keeping a copy. Chunks hold an even number of floats, so element {@code k} always comes from the
   * {@code k / 2}-th SplitMix64 value.
   */
  static float weightAt(long index, int size, long seed) {
    float scale = (float) Math.sqrt(3.0 / size);
    long z = seed + (index / 2 + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z ^= z >>> 31;
    int bits = index % 2 == 0 ? (int) (z >>> 40) : (int) ((z >>> 8) & 0xFFFFFF);
    return (bits - (1 << 23)) * 0x1p-23f * scale;
  }

  /** The MatMul chain over views of {@code raw}: initializer {@code Wi} is the i-th matrix. */
  static Model chainModel(Path raw, int layers, int size, long matrixBytes) {
    GraphBuilder g = GraphBuilder.named("scale_matmul_chain");
    String current = g.input("x", Type.tensor(ElementType.FLOAT, 1, size));
    for (int i = 0; i < layers; i++) {
      String w = g.initializer(Tensor.ofFileRegion(
          "W" + i, ElementType.FLOAT, new long[] {size, size}, raw, i * matrixBytes, matrixBytes));
      var op = g.op("MatMul").inputs(current, w);
      current = i == layers - 1 ? op.output("y") : op.output();
    }
    g.output(current, Type.tensor(ElementType.FLOAT, 1, size));
    return GraphBuilder.model(g.build(), OPSET);
  }

  /** The input every run feeds: deterministic values in [-1, 1], the same on every run. */
  public static float[] input(int size) {
    float[] x = new float[size];
    for (int i = 0; i < size; i++) {
      x[i] = (float) Math.sin(0.37 * i + 0.1);
    }
    return x;
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: ScaleModelGenerator DIR [layers] [size]");
      System.exit(2);
    }
    int layers = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_LAYERS;
    int size = args.length > 2 ? Integer.parseInt(args[2]) : DEFAULT_SIZE;
    Generated g = generate(Path.of(args[0]), layers, size, DEFAULT_SEED);
    System.out.printf("generated %s (%d x MatMul %dx%d, %d bytes of weights) in %.1f s%n",
        g.model(), g.layers(), g.size(), g.size(), g.weightBytes(), g.elapsed().toMillis() / 1000.0);
  }
}
