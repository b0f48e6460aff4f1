package dev.modelbridge.e2e.scale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.modelbridge.api.ModelBridge;
import dev.modelbridge.e2e.scale.MeasuredConvert.Measurement;
import dev.modelbridge.e2e.support.OrtRunner;
import dev.modelbridge.e2e.support.ReferenceData;
import dev.modelbridge.e2e.support.TensorComparator;
import dev.modelbridge.e2e.support.TensorValue;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.tensorflow.bundle.TensorBundle;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Issue 4, acceptance 4: a SavedModel with 1 GiB of resource variables converts to ONNX in a JVM
 * limited to {@code -Xmx512m}. The model comes from {@link ScaleSavedModelGenerator}; TensorFlow Java
 * runs it and ONNX Runtime runs the conversion on the same random input, and the outputs agree to
 * 1e-4. Weights read back through {@link TensorBundle} are spot-checked against the generator's
 * stream, computed independently of any file.
 *
 * <p>The 1 GiB run is opt-in ({@code -Dmodelbridge.scale=true}; {@code -Dmodelbridge.scale.keep=true}
 * keeps {@code target/scale-savedmodel/}); a 16 MiB variant of the same generator runs in the
 * default suite.
 */
class SavedModelScaleTest {
  private static final Path ROOT = Path.of("target", "scale-savedmodel").toAbsolutePath();
  private static final Path HEAP_DUMP = Path.of("target", "scale-savedmodel-oom.hprof").toAbsolutePath();
  private static final String HEAP_LIMIT = "-Xmx512m";
  private static final long GIB = 1L << 30;
  private static final long MIB = 1L << 20;
  private static final long SEED = ScaleModelGenerator.DEFAULT_SEED;
  private static final int BATCH = 2;
  private static final TensorComparator.Tolerance TOLERANCE = new TensorComparator.Tolerance(1e-4, 0);

  @Test
  void smallVariantMatchesTensorFlow(@TempDir Path dir) throws Exception {
    ScaleSavedModelGenerator.Generated gen = ScaleSavedModelGenerator.generate(dir.resolve("saved"), 4, 1024, SEED);
    assertEquals(16 * MIB, gen.weightBytes());
    spotCheckWeights(gen);
    Path onnx = dir.resolve("out/model.onnx");
    Files.createDirectories(onnx.getParent());
    ModelBridge.create().convert(gen.dir()).to("onnx").writeTo(onnx);
    assertAgrees(gen, List.of(onnx));
  }

  @Test
  @Tag("scale")
  @EnabledIfSystemProperty(named = "modelbridge.scale", matches = "true")
  @Timeout(value = 60, unit = TimeUnit.MINUTES)
  void oneGibSavedModelConvertsUnder512MiB() throws Exception {
    deleteTree(ROOT);
    try {
      ScaleSavedModelGenerator.Generated gen = ScaleSavedModelGenerator.generate(
          ROOT.resolve("saved_model"), ScaleSavedModelGenerator.DEFAULT_LAYERS, ScaleSavedModelGenerator.DEFAULT_SIZE, SEED);
      assertEquals(GIB, gen.weightBytes());
      assertEquals(GIB, Files.size(gen.dir().resolve("variables/variables.data-00000-of-00001")));
      spotCheckWeights(gen);

      Path external = ROOT.resolve("external").resolve("model.onnx");
      Measurement withFlag = convert(gen.dir(), external, "--external-data");
      assertEquals(GIB, Files.size(external.resolveSibling("model.onnx.data")), "side file");
      Path inline = ROOT.resolve("inline").resolve("model.onnx");
      Measurement inlined = convert(gen.dir(), inline);
      assertTrue(Files.size(inline) > GIB, "the weights are inline: " + Files.size(inline) + " bytes");

      assertAgrees(gen, List.of(external, inline));
      System.out.printf(Locale.ROOT, "scale summary: SavedModel of %d x MatMul %dx%d resource variables (%.2f GiB)"
          + " generated in %.1f s%n", gen.layers(), gen.size(), gen.size(), gen.weightBytes() / (double) GIB,
          gen.elapsed().toMillis() / 1000.0);
      System.out.println("scale summary: " + MeasuredConvert.summary("convert --external-data", HEAP_LIMIT, withFlag));
      System.out.println("scale summary: " + MeasuredConvert.summary("convert (inline)", HEAP_LIMIT, inlined));
    } finally {
      if (!Boolean.getBoolean("modelbridge.scale.keep")) {
        deleteTree(ROOT);
      }
    }
  }

  private static Measurement convert(Path savedModel, Path output, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of(
        "convert", savedModel.toString(), "--to", "onnx", "-o", output.toString(), "--force"));
    args.addAll(List.of(extra));
    return MeasuredConvert.runChild(HEAP_LIMIT, args,
        ROOT.resolve(output.getParent().getFileName() + "-convert.log"), HEAP_DUMP, 20);
  }

  /**
   * TensorFlow runs the SavedModel's {@code serving_default}, ONNX Runtime runs each converted model,
   * on the same random input; the outputs agree to 1e-4 and are meaningful (finite, not all zero).
   */
  private static void assertAgrees(ScaleSavedModelGenerator.Generated gen, List<Path> onnxModels) throws Exception {
    int size = gen.size();
    float[] x = new float[BATCH * size];
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextDouble(-1, 1);
    }
    long tfStart = System.nanoTime();
    TensorValue expected = tensorFlow(gen.dir(), x, size);
    System.out.printf(Locale.ROOT, "TensorFlow Java loaded and ran %s in %.1f s%n", gen.dir(),
        (System.nanoTime() - tfStart) / 1e9);
    assertMeaningful(expected);
    List<ReferenceData.Value> inputs = List.of(
        new ReferenceData.Value("x", TensorValue.ofFloats(new long[] {BATCH, size}, x)));
    try (OrtRunner ort = new OrtRunner(TOLERANCE)) {
      for (Path onnx : onnxModels) {
        OrtRunner.Execution ex = ort.execute(onnx, inputs);
        ex.refusal().ifPresent(o -> fail("ONNX Runtime could not run " + onnx + ": " + o));
        TensorValue y = ex.outputs().get("y");
        assertTrue(y != null, () -> onnx + " has no output y: " + ex.outputs().keySet());
        Optional<TensorComparator.Mismatch> m = TensorComparator.compare("y", expected, y, TOLERANCE);
        assertTrue(m.isEmpty(), () -> onnx + " differs from TensorFlow: " + m.get().message());
      }
    }
  }

  /** The signature's output {@code y} as TensorFlow Java computes it. */
  private static TensorValue tensorFlow(Path savedModel, float[] x, int size) {
    try (SavedModelBundle bundle = SavedModelBundle.load(savedModel.toString(), "serve");
        TFloat32 in = TFloat32.tensorOf(Shape.of(BATCH, size), DataBuffers.of(x, true, false));
        Result result = bundle.function("serving_default").call(Map.of("x", in))) {
      TFloat32 y = (TFloat32) result.get("y").orElseThrow(() -> new AssertionError("TensorFlow returned no y"));
      assertArrayEquals(new long[] {BATCH, size}, y.shape().asArray());
      float[] out = new float[BATCH * size];
      y.copyTo(DataBuffers.of(out, false, false));
      return TensorValue.ofFloats(new long[] {BATCH, size}, out);
    }
  }

  /**
   * A few elements of every variable, read back through our checkpoint reader, equal the
   * generator's stream at the same position (first, last and a middle element of each matrix).
   */
  private static void spotCheckWeights(ScaleSavedModelGenerator.Generated gen) throws Exception {
    TensorBundle bundle = TensorBundle.open(gen.dir().resolve("variables"));
    long perMatrix = (long) gen.size() * gen.size();
    for (int i = 0; i < gen.layers(); i++) {
      Tensor t = bundle.tensor(gen.key(i), gen.key(i));
      assertArrayEquals(new long[] {gen.size(), gen.size()}, t.dims(), gen.key(i));
      FloatBuffer f = t.data().bytes().asFloatBuffer();
      for (long k : new long[] {0, perMatrix / 2 + 1, perMatrix - 1}) {
        float want = ScaleModelGenerator.weightAt(i * perMatrix + k, gen.size(), SEED);
        assertEquals(want, f.get((int) k), gen.key(i) + "[" + k + "]");
      }
    }
  }

  private static void assertMeaningful(TensorValue y) {
    boolean nonZero = false;
    for (long i = 0; i < y.size(); i++) {
      double v = y.getDouble(i);
      assertTrue(Double.isFinite(v), "output y[" + i + "] is " + v);
      nonZero |= v != 0;
    }
    assertTrue(nonZero, "output y is all zeros");
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
