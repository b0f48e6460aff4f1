package dev.modelbridge.onnx.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Working files of fuzz tests, and seeds taken from the shared corpus when fuzzing. */
final class FuzzFiles {
  private FuzzFiles() {}

  static Path workDir(String name) {
    try {
      return Files.createDirectories(Path.of("target", "fuzz-work", name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * When fuzzing ({@code JAZZER_FUZZ} set), copies corpus files with the given ending and at most
   * {@code maxBytes} into Jazzer's generated-corpus folder of the test, so mutation starts from
   * real models. The corpus is never copied into the repository.
   */
  static void seedFromCorpus(Class<?> test, String method, String ending, long maxBytes) {
    if (System.getenv("JAZZER_FUZZ") == null) {
      return;
    }
    Path corpus = Path.of(System.getProperty("modelbridge.root", "../..")).resolve("../shared/corpus").normalize();
    Path target = Path.of(".cifuzz-corpus", test.getName(), method);
    try (Stream<Path> files = Files.walk(corpus)) {
      Files.createDirectories(target);
      int[] n = {0};
      for (Path f : files.filter(p -> p.toString().endsWith(ending)).sorted().toList()) {
        if (Files.size(f) <= maxBytes && n[0] < 400) {
          Files.copy(f, target.resolve("seed-" + n[0]++), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      // No corpus: fuzz from the committed seeds only.
    }
  }
}
