package dev.modelbridge.tensorflow.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.modelbridge.ModelException;
import dev.modelbridge.tensorflow.bundle.TensorBundle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Any index and data bytes given to the TensorBundle reader end in tensors or a typed
 * {@link ModelException}: never another exception, a hang or an out-of-memory.
 *
 * <p>{@code mvn verify -Pfuzz} fuzzes for a minute, seeded with the corpus checkpoints.
 */
class TensorBundleFuzzTest {
  private static final Path DIR = workDir();

  static {
    seedFromCorpus();
  }

  /** Input layout: a 2-byte little-endian index length, the index bytes, then the data shard. */
  @FuzzTest(maxDuration = "1m")
  void readsOrFailsTyped(byte[] in) throws IOException {
    int indexLength = in.length < 2 ? 0 : Math.min((in[0] & 0xff) | (in[1] & 0xff) << 8, in.length - 2);
    byte[] index = java.util.Arrays.copyOfRange(in, Math.min(2, in.length), Math.min(2, in.length) + indexLength);
    byte[] data = java.util.Arrays.copyOfRange(in, Math.min(2, in.length) + indexLength, in.length);
    Files.write(DIR.resolve("variables.index"), index);
    Files.write(DIR.resolve("variables.data-00000-of-00001"), data);
    try {
      TensorBundle b = TensorBundle.open(DIR);
      for (String key : b.keys()) {
        try {
          b.tensor(key, key).data().byteSize();
          b.verify(key);
        } catch (ModelException expected) {
          // Each tensor fails or reads on its own.
        }
      }
    } catch (ModelException expected) {
      // A typed refusal is the right answer to a broken checkpoint.
    }
  }

  private static Path workDir() {
    try {
      return Files.createDirectories(Path.of("target", "fuzz-work", "bundle"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Seeds: each corpus checkpoint as (index length, index, data), the layout the test reads. */
  private static void seedFromCorpus() {
    if (System.getenv("JAZZER_FUZZ") == null) {
      return;
    }
    Path corpus = Path.of(System.getProperty("modelbridge.root", "../..")).resolve("../shared/corpus").normalize();
    Path target = Path.of(".cifuzz-corpus", TensorBundleFuzzTest.class.getName(), "readsOrFailsTyped");
    try (Stream<Path> files = Files.walk(corpus)) {
      Files.createDirectories(target);
      int n = 0;
      for (Path index : files.filter(p -> p.toString().endsWith(".index")).sorted().toList()) {
        String prefix = index.toString().substring(0, index.toString().length() - ".index".length());
        Path data = Path.of(prefix + ".data-00000-of-00001");
        if (!Files.exists(data) || Files.size(data) > 1 << 20) {
          continue;
        }
        byte[] i = Files.readAllBytes(index);
        byte[] d = Files.readAllBytes(data);
        if (i.length > 0xffff) {
          continue;
        }
        java.nio.ByteBuffer seed = java.nio.ByteBuffer.allocate(2 + i.length + d.length)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        seed.putShort((short) i.length).put(i).put(d);
        Files.write(target.resolve("seed-" + n++), seed.array());
      }
    } catch (IOException e) {
      // No corpus: fuzz from scratch.
    }
  }
}
