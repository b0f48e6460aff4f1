package dev.modelbridge.onnx.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.modelbridge.validate.Finding;
import dev.modelbridge.validate.ModelReport;
import dev.modelbridge.validate.Validator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Any bytes given to the validator as an ONNX file end in a report: findings for a broken file,
 * never an exception, a hang or an out-of-memory, and never {@code validator.internal} (a reader
 * or rule failing untyped, which the validator catches and reports as its own bug). Every rule
 * and the shape inference run on whatever the reader accepts.
 *
 * <p>The normal build replays {@code ValidatorFuzzTestInputs}; {@code -Pfuzz} fuzzes, seeded with
 * small models of the shared corpus.
 */
class ValidatorFuzzTest {
  private static final Path DIR = FuzzFiles.workDir("validator");
  private static final Validator VALIDATOR = Validator.builder().threads(1).build();

  static {
    FuzzFiles.seedFromCorpus(ValidatorFuzzTest.class, "reportsNeverThrows", ".onnx", 64 * 1024);
  }

  @FuzzTest(maxDuration = "1m")
  void reportsNeverThrows(byte[] input) throws IOException {
    Path file = DIR.resolve("model.onnx");
    Files.write(file, input);
    ModelReport report = VALIDATOR.validate(file);
    for (Finding f : report.findings()) {
      if (f.ruleId().equals("validator.internal")) {
        throw new AssertionError("untyped failure: " + f.message());
      }
      if (f.message() == null || f.message().isBlank()) {
        throw new AssertionError("a finding without a message: " + f.ruleId());
      }
    }
  }
}
