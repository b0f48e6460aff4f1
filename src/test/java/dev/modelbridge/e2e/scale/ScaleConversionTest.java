package dev.modelbridge.e2e.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.modelbridge.e2e.scale.MeasuredConvert.Measurement;
import dev.modelbridge.e2e.support.OrtRunner;
import dev.modelbridge.e2e.support.ReferenceData;
import dev.modelbridge.e2e.support.TensorComparator;
import dev.modelbridge.e2e.support.TensorValue;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Acceptance "Scale": a model with 3 GiB of float weights converts ONNX to ONNX with external data
 * in a JVM limited to {@code -Xmx512m}, with its time and peak memory measured.
 *
 * <p>Opt-in, because it writes about 9 GiB to disk and takes minutes: run with
 * {@code -Dmodelbridge.scale=true}. Add {@code -Dmodelbridge.scale.keep=true} to keep the files
 * under {@code target/scale/}, and {@code -Dmodelbridge.scale.jvmArgs="-verbose:gc"} (space-separated)
 * to pass extra options to the converting JVM.
 *
 * <p>The conversion runs in a child JVM through {@link MeasuredConvert}, so the heap limit applies to
 * the CLI alone; ONNX Runtime then runs the generated model and each converted one on the same input
 * as an independent oracle, and their outputs must be identical bit for bit.
 */
@Tag("scale")
@EnabledIfSystemProperty(named = "modelbridge.scale", matches = "true")
class ScaleConversionTest {
  private static final Path ROOT = Path.of("target", "scale").toAbsolutePath();
  private static final Path HEAP_DUMP = Path.of("target", "scale-convert-oom.hprof").toAbsolutePath();
  private static final long GIB = 1L << 30;
  private static final long MIB = 1L << 20;
  private static final String HEAP_LIMIT = "-Xmx512m";
  private static final long CHILD_TIMEOUT_MINUTES = 20;
  private static final TensorComparator.Tolerance EXACT = new TensorComparator.Tolerance(0, 0);

  @BeforeEach
  void clean() throws IOException {
    deleteTree(ROOT);
  }

  @AfterEach
  void cleanUp() throws IOException {
    if (!Boolean.getBoolean("modelbridge.scale.keep")) {
      deleteTree(ROOT);
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.MINUTES)
  void threeGibModelConvertsWithExternalDataUnder512MiB() throws Exception {
    int layers = ScaleModelGenerator.DEFAULT_LAYERS;
    int size = ScaleModelGenerator.DEFAULT_SIZE;
    resetHeapPeaks();
    ScaleModelGenerator.Generated gen =
        ScaleModelGenerator.generate(ROOT.resolve("generated"), layers, size, ScaleModelGenerator.DEFAULT_SEED);
    long generationHeap = heapPeaks();
    assertEquals(3 * GIB, gen.weightBytes());
    assertEquals(3 * GIB, Files.size(gen.sideFile()), "generated model's side file");

    Path explicit = ROOT.resolve("explicit").resolve(ScaleModelGenerator.MODEL_NAME);
    Measurement withFlag = convert(gen.model(), explicit, "--external-data");
    assertEquals(3 * GIB, Files.size(sideFile(explicit)), "side file written with --external-data");

    // No --external-data: 3 GiB cannot fit one protobuf (2 GiB), so the writer must switch to
    // external data by itself rather than fail or write a file no reader accepts.
    Path auto = ROOT.resolve("auto").resolve(ScaleModelGenerator.MODEL_NAME);
    Measurement automatic = convert(gen.model(), auto);
    assertTrue(Files.exists(sideFile(auto)), "a model too large for one protobuf gets external data");
    assertEquals(3 * GIB, Files.size(sideFile(auto)), "side file written automatically");
    assertTrue(Files.size(auto) < MIB, "the weights are not inline: " + Files.size(auto) + " bytes");

    List<ReferenceData.Value> inputs = List.of(new ReferenceData.Value(
        "x", TensorValue.ofFloats(new long[] {1, size}, ScaleModelGenerator.input(size))));
    try (OrtRunner ort = new OrtRunner(EXACT)) {
      TensorValue expected = runY(ort, gen.model(), inputs);
      assertMeaningful(expected);
      for (Path converted : List.of(explicit, auto)) {
        Optional<TensorComparator.Mismatch> m =
            TensorComparator.compare("y", expected, runY(ort, converted, inputs), EXACT);
        assertTrue(m.isEmpty(), () -> converted + " differs from the generated model: " + m.get().message());
      }
    }

    System.out.printf(Locale.ROOT, "scale summary: generation of %d x MatMul %dx%d (%.2f GiB) %.1f s, peak heap %d MiB%n",
        layers, size, size, gen.weightBytes() / (double) GIB, gen.elapsed().toMillis() / 1000.0,
        generationHeap / MIB);
    System.out.println("scale summary: " + summary("convert --external-data", withFlag));
    System.out.println("scale summary: " + summary("convert (automatic external data)", automatic));
  }

  /**
   * Runs the CLI in a child JVM capped at {@value #HEAP_LIMIT}, asserts it succeeded and returns
   * what it measured. An OutOfMemoryError leaves a heap dump at {@link #HEAP_DUMP}.
   */
  private static Measurement convert(Path input, Path output, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of(
        "convert", input.toString(), "--to", "onnx", "-o", output.toString(), "--force"));
    args.addAll(List.of(extra));
    return MeasuredConvert.runChild(HEAP_LIMIT, args,
        ROOT.resolve(output.getParent().getFileName() + "-convert.log"), HEAP_DUMP, CHILD_TIMEOUT_MINUTES);
  }

  /** Runs a model in ONNX Runtime and returns its output {@code y}. */
  private static TensorValue runY(OrtRunner ort, Path model, List<ReferenceData.Value> inputs) {
    OrtRunner.Execution ex = ort.execute(model, inputs);
    ex.refusal().ifPresent(o -> fail("ONNX Runtime could not run " + model + ": " + o));
    TensorValue y = ex.outputs().get("y");
    assertTrue(y != null, () -> model + " has no output y: " + ex.outputs().keySet());
    return y;
  }

  /**
   * An exact comparison proves little if both sides are zeros or NaN (the comparator matches NaN with
   * NaN), so the reference output must be finite and not all zero.
   */
  private static void assertMeaningful(TensorValue y) {
    boolean nonZero = false;
    for (long i = 0; i < y.size(); i++) {
      double v = y.getDouble(i);
      assertTrue(Double.isFinite(v), "output y[" + i + "] is " + v);
      nonZero |= v != 0;
    }
    assertTrue(nonZero, "output y is all zeros");
  }

  private static Path sideFile(Path model) {
    return model.resolveSibling(model.getFileName() + ".data");
  }

  private static String summary(String label, Measurement m) {
    return MeasuredConvert.summary(label, HEAP_LIMIT, m);
  }

  private static void resetHeapPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  /** Sum of the heap pools' peaks since {@link #resetHeapPeaks()}; the test JVM's own heap. */
  private static long heapPeaks() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
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
