package dev.modelbridge.tensorflow.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.ModelException;
import dev.modelbridge.ir.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every checkpoint TensorFlow wrote in the shared corpus reads, with all checksums right; a bit
 * flipped in a data shard is reported as a CRC error naming the tensor.
 */
class TensorBundleCorpusTest {

  static List<Path> corpusIndexes() throws IOException {
    Path root = Path.of(System.getProperty("modelbridge.root", "../..")).resolve("../shared/corpus").normalize();
    Assumptions.assumeTrue(Files.isDirectory(root), "shared corpus not present");
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".index")).sorted().toList();
    }
  }

  @Test
  void everyCorpusCheckpointReadsWithValidChecksums() throws Exception {
    List<Path> indexes = corpusIndexes();
    assertFalse(indexes.isEmpty());
    List<String> failures = new ArrayList<>();
    int tensors = 0;
    for (Path index : indexes) {
      try {
        TensorBundle b = TensorBundle.open(index);
        b.verifyAll();
        for (String key : b.keys()) {
          if (TfDataTypes.toElementType(b.entry(key).orElseThrow().dtype()).isPresent()) {
            Tensor t = b.tensor(key, key);
            assertEquals(b.entry(key).orElseThrow().elementCount(), t.elementCount());
            tensors++;
          }
        }
        System.out.printf("%s: %d entries, %d shard(s)%n", index, b.keys().size(), b.numShards());
      } catch (ModelException e) {
        failures.add(index + ": " + e.getMessage());
      }
    }
    System.out.printf("read %d checkpoints, %d tensors%n", indexes.size(), tensors);
    assertEquals(List.of(), failures);
  }

  /** half_plus_two computes y = a*x + b and y2 = a*x + c with a = 0.5, b = 2, c = 3. */
  @Test
  void halfPlusTwoHoldsItsKnownWeights() throws Exception {
    Path index = corpusIndexes().stream()
        .filter(p -> p.toString().contains("cc/saved_model/testdata/half_plus_two/00000123"))
        .findFirst().orElseThrow();
    TensorBundle b = TensorBundle.open(index);
    assertEquals(List.of("a", "b", "c"), b.keys());
    float[] expected = {0.5f, 2f, 3f};
    for (int i = 0; i < 3; i++) {
      Tensor t = b.tensor(b.keys().get(i), b.keys().get(i));
      assertEquals(0, t.rank());
      assertEquals(expected[i], t.data().bytes().getFloat(0));
    }
  }

  @Test
  void aFlippedBitInAShardIsACrcErrorNamingTheTensor(@TempDir Path tmp) throws Exception {
    Path index = corpusIndexes().stream()
        .filter(p -> p.toString().contains("half_plus_two/00000123") && p.toString().contains("cc/saved_model"))
        .findFirst().orElseThrow();
    Path copy = Files.createDirectories(tmp.resolve("variables"));
    try (Stream<Path> files = Files.list(index.getParent())) {
      for (Path f : files.toList()) {
        Files.copy(f, copy.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    TensorBundle b = TensorBundle.open(copy);
    String key = b.keys().stream().filter(k -> b.entry(k).orElseThrow().size() > 0).findFirst().orElseThrow();
    BundleEntry e = b.entry(key).orElseThrow();
    Path shard = b.shards().get(e.shard());
    byte[] bytes = Files.readAllBytes(shard);
    bytes[(int) e.offset()] ^= 0x10;
    Files.write(shard, bytes);
    ModelException err = assertThrows(ModelException.class, () -> b.verify(key));
    assertTrue(err.getMessage().contains("CRC32C") && err.getMessage().contains("'" + key + "'"), err.getMessage());
  }
}
