package dev.modelbridge.e2e.scale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.e2e.scale.MeasuredConvert.Measurement;
import dev.modelbridge.e2e.support.OrtRunner;
import dev.modelbridge.e2e.support.ReferenceData;
import dev.modelbridge.e2e.support.TensorComparator;
import dev.modelbridge.e2e.support.TensorValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Issue 5, acceptance 4: an ONNX model with 3 GiB of weights ({@link ScaleModelGenerator}: 48
 * MatMuls of 4096 x 4096) converts to a SavedModel in a child JVM limited to {@code -Xmx512m}
 * (wall time, peak heap and peak RSS measured by {@link MeasuredConvert}); TensorFlow Java loads
 * and runs the SavedModel, and its output matches ONNX Runtime's on the ONNX model within
 * {@link TensorComparator.Tolerance#DEFAULT}.
 *
 * <p>Opt-in ({@code -Dmodelbridge.scale=true}): it writes about 6 GiB and TensorFlow and ONNX
 * Runtime each hold the 3 GiB of weights in memory, one after the other.
 * {@code -Dmodelbridge.scale.keep=true} keeps {@code target/scale-onnx-savedmodel/}.
 */
@Tag("scale")
@EnabledIfSystemProperty(named = "modelbridge.scale", matches = "true")
class OnnxToSavedModelScaleTest {
  private static final Path ROOT = Path.of("target", "scale-onnx-savedmodel").toAbsolutePath();
  private static final Path HEAP_DUMP = Path.of("target", "scale-onnx-savedmodel-oom.hprof").toAbsolutePath();
  private static final String HEAP_LIMIT = "-Xmx512m";
  private static final long GIB = 1L << 30;

  @Test
  @Timeout(value = 60, unit = TimeUnit.MINUTES)
  void threeGibOnnxModelBecomesASavedModelUnder512MiB() throws Exception {
    deleteTree(ROOT);
    try {
      int size = ScaleModelGenerator.DEFAULT_SIZE;
      ScaleModelGenerator.Generated gen = ScaleModelGenerator.generate(ROOT.resolve("onnx"),
          ScaleModelGenerator.DEFAULT_LAYERS, size, ScaleModelGenerator.DEFAULT_SEED);
      assertEquals(3 * GIB, gen.weightBytes());
      Path saved = ROOT.resolve("saved_model");
      Measurement m = MeasuredConvert.runChild(HEAP_LIMIT,
          List.of("convert", gen.model().toString(), "--to", "savedmodel", "-o", saved.toString(), "--force"),
          ROOT.resolve("convert.log"), HEAP_DUMP, 30);
      assertEquals(3 * GIB, Files.size(saved.resolve("variables/variables.data-00000-of-00001")), "checkpoint data");

      float[] x = ScaleModelGenerator.input(size);
      long tfStart = System.nanoTime();
      TensorValue tf = tensorFlow(saved, x, size);
      double tfSeconds = (System.nanoTime() - tfStart) / 1e9;
      TensorValue ort;
      try (OrtRunner runner = new OrtRunner()) {
        OrtRunner.Execution e = runner.execute(gen.model(), List.of(
            new ReferenceData.Value("x", TensorValue.ofFloats(new long[] {1, size}, x))));
        assertTrue(e.refusal().isEmpty(), () -> e.refusal().toString());
        ort = e.outputs().get("y");
      }
      Optional<TensorComparator.Mismatch> mismatch = TensorComparator.compare("y", ort, tf);
      assertTrue(mismatch.isEmpty(), () -> mismatch.get().message());
      double max = 0;
      for (long i = 0; i < ort.size(); i++) {
        max = Math.max(max, Math.abs(ort.getDouble(i) - tf.getDouble(i)));
      }
      System.out.println("scale summary: " + MeasuredConvert.summary("convert --to savedmodel", HEAP_LIMIT, m));
      System.out.printf(Locale.ROOT, "scale summary: TensorFlow Java loaded and ran the 3 GiB SavedModel in %.1f s;"
          + " max abs diff vs ONNX Runtime %.3g%n", tfSeconds, max);
    } finally {
      if (!Boolean.getBoolean("modelbridge.scale.keep")) {
        deleteTree(ROOT);
      }
    }
  }

  private static TensorValue tensorFlow(Path savedModel, float[] x, int size) {
    try (SavedModelBundle bundle = SavedModelBundle.load(savedModel.toString(), "serve");
        TFloat32 in = TFloat32.tensorOf(Shape.of(1, size), DataBuffers.of(x, true, false));
        Result result = bundle.function("serving_default").call(Map.of("x", in))) {
      TFloat32 y = (TFloat32) result.get("y").orElseThrow(() -> new AssertionError("TensorFlow returned no y"));
      assertArrayEquals(new long[] {1, size}, y.shape().asArray());
      float[] out = new float[size];
      y.copyTo(DataBuffers.of(out, false, false));
      return TensorValue.ofFloats(new long[] {1, size}, out);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
