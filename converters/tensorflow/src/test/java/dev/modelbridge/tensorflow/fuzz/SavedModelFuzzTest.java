package dev.modelbridge.tensorflow.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.modelbridge.ModelException;
import dev.modelbridge.format.FormatFindings;
import dev.modelbridge.format.ReadOptions;
import dev.modelbridge.tensorflow.SavedModelFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Any bytes as {@code saved_model.pb} end, through parsing, function inlining and conversion, in a
 * model or a typed {@link ModelException}; the native checks ({@code validate}) report findings and
 * never throw. No variables folder: a graph that needs one fails typed.
 *
 * <p>The normal build replays {@code SavedModelFuzzTestInputs}; {@code -Pfuzz} fuzzes, seeded with
 * the corpus' SavedModels.
 */
class SavedModelFuzzTest {
  private static final Path DIR = FuzzSeeds.workDir("savedmodel");

  static {
    FuzzSeeds.fromCorpus(SavedModelFuzzTest.class, "readsOrFailsTyped", "saved_model.pb", 256 * 1024);
  }

  @FuzzTest(maxDuration = "1m")
  void readsOrFailsTyped(byte[] input) throws IOException {
    Files.write(DIR.resolve("saved_model.pb"), input);
    SavedModelFormat format = new SavedModelFormat();
    format.checkNative(DIR, (FormatFindings) (rule, level, where, message) -> { });
    try {
      format.read(DIR, ReadOptions.defaults());
    } catch (ModelException expected) {
      // A typed refusal is the right answer to a broken SavedModel.
    }
  }
}
