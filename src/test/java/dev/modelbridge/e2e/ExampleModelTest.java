package dev.modelbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.cli.Main;
import dev.modelbridge.e2e.support.OrtRunner;
import dev.modelbridge.e2e.support.ReferenceData;
import dev.modelbridge.e2e.support.TensorComparator;
import dev.modelbridge.e2e.support.TensorValue;
import dev.modelbridge.examples.TinyCnn;
import dev.modelbridge.format.StagedOutput;
import dev.modelbridge.format.WriteOptions;
import dev.modelbridge.onnx.OnnxFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model shipped in {@code examples/} is the one its generator builds, ONNX Runtime runs it,
 * and the README's main command (a conversion with external data) gives a model with the same
 * outputs.
 */
class ExampleModelTest {
  static final Path SHIPPED = Path.of(System.getProperty("modelbridge.root", "../.."), "examples/models/tiny-cnn.onnx");

  @Test
  void theShippedModelIsWhatTheGeneratorBuilds(@TempDir Path tmp) throws Exception {
    Path fresh = tmp.resolve("tiny-cnn.onnx");
    try (StagedOutput s = new StagedOutput(fresh, false)) {
      new OnnxFormat().write(TinyCnn.build(), s, WriteOptions.defaults());
      s.commit();
    }
    assertArrayEquals(Files.readAllBytes(SHIPPED), Files.readAllBytes(fresh),
        "examples/models/tiny-cnn.onnx is stale: regenerate it with dev.modelbridge.examples.TinyCnn");
  }

  @Test
  void theReadmeConversionKeepsTheOutputs(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("tiny-cnn.onnx");
    assertEquals(0, Main.run("convert", SHIPPED.toString(), "--to", "onnx", "--external-data", "-o", out.toString()));
    assertTrue(Files.exists(tmp.resolve("tiny-cnn.onnx.data")), "conv2 weights (4.6 KiB) go to the side file");

    float[] image = new float[2 * 3 * 32 * 32];
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < image.length; i++) {
      image[i] = (float) random.nextDouble();
    }
    List<ReferenceData.Value> inputs =
        List.of(new ReferenceData.Value("image", TensorValue.ofFloats(new long[] {2, 3, 32, 32}, image)));
    try (OrtRunner ort = new OrtRunner()) {
      OrtRunner.Execution original = ort.execute(SHIPPED, inputs);
      OrtRunner.Execution converted = ort.execute(out, inputs);
      assertTrue(original.refusal().isEmpty(), () -> original.refusal().toString());
      TensorValue probs = original.outputs().get("probabilities");
      assertArrayEquals(new long[] {2, 10}, probs.shape());
      double sum = 0;
      for (int i = 0; i < 10; i++) {
        sum += probs.getDouble(i);
      }
      assertEquals(1.0, sum, 1e-5, "softmax rows sum to one");
      assertTrue(TensorComparator.compare("probabilities", probs, converted.outputs().get("probabilities"),
          new TensorComparator.Tolerance(0, 0)).isEmpty());
    }
  }
}
