package dev.modelbridge.onnx.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.modelbridge.ModelException;
import dev.modelbridge.format.ReadOptions;
import dev.modelbridge.format.StagedOutput;
import dev.modelbridge.format.WriteOptions;
import dev.modelbridge.ir.Model;
import dev.modelbridge.onnx.OnnxReader;
import dev.modelbridge.onnx.OnnxWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Any bytes given to the ONNX reader end in a model or a typed {@link ModelException}: never
 * another exception, a hang or an out-of-memory. A model that reads is written and read again.
 *
 * <p>In the normal build this replays the inputs under {@code src/test/resources/.../OnnxReaderFuzzTestInputs}
 * (seeds and past findings); {@code mvn verify -Pfuzz} fuzzes for a minute, seeded with small
 * models of the shared corpus.
 */
class OnnxReaderFuzzTest {
  private static final Path DIR = FuzzFiles.workDir("onnx-reader");

  static {
    FuzzFiles.seedFromCorpus(OnnxReaderFuzzTest.class, "readsOrFailsTyped", ".onnx", 64 * 1024);
  }

  @FuzzTest(maxDuration = "1m")
  void readsOrFailsTyped(byte[] input) throws IOException {
    Path file = DIR.resolve("model.onnx");
    Files.write(file, input);
    Model model;
    try {
      model = new OnnxReader(ReadOptions.defaults()).read(file);
    } catch (ModelException expected) {
      return;
    }
    Path out = DIR.resolve("rewritten.onnx");
    try (StagedOutput staged = new StagedOutput(out, true)) {
      new OnnxWriter(WriteOptions.defaults()).write(model, staged);
      staged.commit();
      new OnnxReader(ReadOptions.defaults()).read(out);
    } catch (ModelException expected) {
      // A model that reads but cannot be written must say why, typed.
    }
  }
}
