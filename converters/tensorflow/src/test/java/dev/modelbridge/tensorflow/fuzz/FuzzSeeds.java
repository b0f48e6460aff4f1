package dev.modelbridge.tensorflow.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Working folders of the fuzz tests, and seeds taken from the shared corpus when fuzzing. */
final class FuzzSeeds {
  private FuzzSeeds() {}

  static Path workDir(String name) {
    try {
      return Files.createDirectories(Path.of("target", "fuzz-work", name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * When fuzzing ({@code JAZZER_FUZZ} set), copies corpus files named {@code fileName} of at most
   * {@code maxBytes} into Jazzer's generated-corpus folder of the test. The corpus is never copied
   * into the repository.
   */
  static void fromCorpus(Class<?> test, String method, String fileName, long maxBytes) {
    if (System.getenv("JAZZER_FUZZ") == null) {
      return;
    }
    Path corpus = Path.of(System.getProperty("modelbridge.root", "../..")).resolve("../shared/corpus").normalize();
    Path target = Path.of(".cifuzz-corpus", test.getName(), method);
    try (Stream<Path> files = Files.walk(corpus)) {
      Files.createDirectories(target);
      int n = 0;
      for (Path f : files.filter(p -> p.getFileName().toString().equals(fileName)).sorted().toList()) {
        if (Files.size(f) <= maxBytes && n < 200) {
          Files.copy(f, target.resolve("seed-" + n++), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      // No corpus: fuzz from the committed seeds only.
    }
  }
}
