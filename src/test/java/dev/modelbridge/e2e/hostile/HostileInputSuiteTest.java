package dev.modelbridge.e2e.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.modelbridge.cli.Main;
import dev.modelbridge.e2e.support.Corpus;
import dev.modelbridge.validate.Finding;
import dev.modelbridge.validate.ModelReport;
import dev.modelbridge.validate.Severity;
import dev.modelbridge.validate.Validator;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, acceptance 1: at least 300 malformed files made by mutating corpus models (truncation at
 * protobuf field boundaries, bit flips, inflated length prefixes, deep nesting, recursive
 * functions, negative and huge dims, wrong dtypes, traversal paths). For each, {@code validate} and
 * {@code convert --to onnx} exit with 1 (a typed error, never a crash: an untyped one exits 2),
 * each within {@link #TIME_BOUND_S} seconds, in this JVM's bounded heap (surefire's -Xmx).
 *
 * <p>"Malformed" is decided by the validator's structural rules: the file does not parse or is
 * refused by the reader ({@code format.*}), a path or range is unsafe, a tensor's bytes disagree
 * with its dims or a dim is negative, or a SavedModel check fails. A mutant that is still a
 * well-formed model (a bit flip in a name, a truncation that only drops a doc string) is discarded
 * and counted, so that only malformed files are judged.
 */
class HostileInputSuiteTest {
  private static final long TIME_BOUND_S = 30;
  private static final Set<String> STRUCTURAL = Set.of("format.invalid", "format.unsupported",
      "tensor.external-data-unsafe", "tensor.data-size", "tensor.negative-dim");
  private static final List<String> ONNX_BASES = List.of("test_add", "test_if", "test_loop11",
      "test_conv_with_strides_padding", "test_matmul_2d", "test_constant", "test_gemm_default_matrix_bias",
      "test_lstm_defaults", "test_scan9_sum");
  private static final List<String> TF_BASES = List.of(
      "tensorflow/go/testdata/saved_model/half_plus_two/00000123",
      "tensorflow/python/compiler/tensorrt/test/testdata/tf_variablev2_saved_model",
      "tensorflow/python/compiler/tensorrt/test/testdata/tf_readvariableop_saved_model",
      "tensorflow/cc/saved_model/testdata/SimpleV1Model");

  @Test
  void everyMalformedFileExitsWithOneInBoundedTimeAndMemory(@TempDir Path tmp) throws Exception {
    Path corpus = Corpus.root().orElse(null);
    assumeTrue(corpus != null, "shared corpus absent");
    List<Path> onnx = new ArrayList<>();
    for (String b : ONNX_BASES) {
      Path p = corpus.resolve("onnx-backend/node").resolve(b).resolve("model.onnx");
      if (Files.isRegularFile(p)) {
        onnx.add(p);
      }
    }
    List<Path> tf = TF_BASES.stream().map(b -> corpus.resolve("tf-savedmodels").resolve(b))
        .filter(p -> Files.isRegularFile(p.resolve("saved_model.pb"))).toList();
    Path root = Path.of(System.getProperty("modelbridge.root", "."));
    Path cnn = root.resolve("examples/models/tiny-cnn.onnx");
    assumeTrue(!onnx.isEmpty() && !tf.isEmpty() && Files.isRegularFile(cnn), "corpus models missing");

    List<Candidate> candidates = new ArrayList<>(OnnxMutants.all(onnx, cnn));
    candidates.addAll(TfMutants.all(tf));
    Validator validator = Validator.builder().threads(1).build();
    Map<String, int[]> counts = new TreeMap<>(); // kind -> {kept, discarded}
    List<String> failures = new ArrayList<>();
    resetPeaks();
    long start = System.nanoTime();
    long slowest = 0;
    String slowestName = "";
    PrintStream out = System.out;
    PrintStream err = System.err;
    ExecutorService worker = Executors.newSingleThreadExecutor();
    try {
      int i = 0;
      for (Candidate c : candidates) {
        Path dir = Files.createDirectories(tmp.resolve(c.kind() + "-" + i++));
        Path model = c.maker().make(dir);
        long t0 = System.nanoTime();
        ModelReport report = within(worker, () -> validator.validate(model), c, failures);
        if (report == null) {
          continue;
        }
        if (report.findings().stream().anyMatch(f -> f.ruleId().equals("validator.internal"))) {
          failures.add(c.kind() + " " + c.name() + ": untyped failure " + report.findings());
          continue;
        }
        boolean malformed = report.findings().stream().anyMatch(HostileInputSuiteTest::structural);
        int[] n = counts.computeIfAbsent(c.kind(), k -> new int[2]);
        if (!malformed) {
          n[1]++;
          continue;
        }
        n[0]++;
        if (report.findings().stream().anyMatch(f -> f.message() == null || f.message().isBlank())) {
          failures.add(c.kind() + " " + c.name() + ": a finding without a message");
        }
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(quiet);
        System.setErr(quiet);
        try {
          Integer v = within(worker, () -> Main.run("validate", model.toString(), "--threads", "1"), c, failures);
          Integer k = within(worker, () -> Main.run("convert", model.toString(), "--to", "onnx", "-o",
              dir.resolve("out.onnx").toString()), c, failures);
          if (v != null && v != 1 || k != null && k != 1) {
            failures.add(c.kind() + " " + c.name() + ": validate exit " + v + ", convert exit " + k
                + "; findings " + report.findings());
          }
        } finally {
          System.setOut(out);
          System.setErr(err);
        }
        long took = System.nanoTime() - t0;
        if (took > slowest) {
          slowest = took;
          slowestName = c.kind() + " " + c.name();
        }
      }
    } finally {
      worker.shutdownNow();
    }
    int kept = counts.values().stream().mapToInt(n -> n[0]).sum();
    System.out.printf("hostile inputs: %d malformed files judged, %d discarded as still well-formed, in %.1f s%n",
        kept, counts.values().stream().mapToInt(n -> n[1]).sum(), (System.nanoTime() - start) / 1e9);
    counts.forEach((k, n) -> System.out.printf("  %-20s %4d malformed (%d discarded)%n", k, n[0], n[1]));
    System.out.printf("  slowest file: %.2f s (%s); peak heap %d MiB of max %d MiB%n", slowest / 1e9, slowestName,
        peakHeap() >> 20, Runtime.getRuntime().maxMemory() >> 20);
    assertTrue(failures.isEmpty(), failures.size() + " failures:\n" + String.join("\n", failures));
    assertTrue(kept >= 300, "only " + kept + " malformed files");
    for (String kind : List.of("truncation", "bit-flip", "inflated-length", "deep-nesting", "recursive-function",
        "negative-dims", "huge-dims", "wrong-dtype", "traversal-path")) {
      assertTrue(counts.getOrDefault(kind, new int[2])[0] > 0, "no malformed file of kind " + kind);
    }
    assertEquals(0, counts.get("recursive-function")[1], "a recursive function was taken as well-formed");
    assertEquals(0, counts.get("traversal-path")[1], "a traversal path was taken as well-formed");
  }

  private static boolean structural(Finding f) {
    return f.severity() == Severity.ERROR && (STRUCTURAL.contains(f.ruleId()) || f.ruleId().startsWith("savedmodel."));
  }

  private static <T> T within(ExecutorService worker, java.util.concurrent.Callable<T> task, Candidate c,
      List<String> failures) throws InterruptedException {
    Future<T> f = worker.submit(task);
    try {
      return f.get(TIME_BOUND_S, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      failures.add(c.kind() + " " + c.name() + ": took more than " + TIME_BOUND_S + " s");
    } catch (java.util.concurrent.ExecutionException e) {
      failures.add(c.kind() + " " + c.name() + ": " + e.getCause());
    }
    return null;
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        p.resetPeakUsage();
      }
    }
  }

  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
