package dev.modelbridge.e2e.concurrency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.modelbridge.ModelException;
import dev.modelbridge.api.ModelBridge;
import dev.modelbridge.e2e.support.Corpus;
import dev.modelbridge.validate.Finding;
import dev.modelbridge.validate.Validator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thread safety: 200 conversions and validations of corpus models (ONNX and SavedModels) run on 8
 * threads in one JVM, sharing one {@link ModelBridge} and one {@link Validator}; each output must
 * equal, byte for byte, the one a sequential run wrote, and each report the sequential report (a
 * failing conversion must fail with the same message).
 */
class ParallelConversionTest {
  private static final int THREADS = 8;
  private static final int TASKS = 200;

  /** What one model gives: the converted bytes (or the error) and the validator's findings. */
  private record Outcome(byte[] bytes, String error, List<Finding> findings) {}

  @Test
  void parallelRunsMatchTheSequentialRun(@TempDir Path tmp) throws Exception {
    Path corpus = Corpus.root().orElse(null);
    assumeTrue(corpus != null, "shared corpus absent");
    List<Path> models = new ArrayList<>();
    try (Stream<Path> s = Files.list(corpus.resolve("onnx-backend/node"))) {
      s.sorted().map(d -> d.resolve("model.onnx")).filter(Files::isRegularFile).limit(1000)
          .filter((p) -> p.getParent().getFileName().toString().hashCode() % 40 == 0).forEach(models::add);
    }
    for (String sm : List.of("tensorflow/go/testdata/saved_model/half_plus_two/00000123",
        "tensorflow/python/compiler/tensorrt/test/testdata/tf_variablev2_saved_model",
        "tensorflow/cc/saved_model/testdata/SimpleV1Model")) {
      Path p = corpus.resolve("tf-savedmodels").resolve(sm);
      if (Files.isDirectory(p)) {
        models.add(p);
      }
    }
    assumeTrue(models.size() >= 10, "too few corpus models");
    ModelBridge bridge = ModelBridge.create();
    Validator validator = Validator.builder().threads(1).build();

    List<Outcome> sequential = new ArrayList<>();
    for (int i = 0; i < models.size(); i++) {
      sequential.add(run(bridge, validator, models.get(i), tmp.resolve("seq-" + i + ".onnx")));
    }
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<Outcome>> futures = new ArrayList<>();
      for (int t = 0; t < TASKS; t++) {
        Path model = models.get(t % models.size());
        Path out = tmp.resolve("par-" + t + ".onnx");
        futures.add(pool.submit(() -> run(bridge, validator, model, out)));
      }
      int converted = 0;
      for (int t = 0; t < TASKS; t++) {
        Outcome want = sequential.get(t % models.size());
        Outcome got = futures.get(t).get();
        String what = models.get(t % models.size()).toString();
        assertEquals(want.error(), got.error(), what);
        if (want.bytes() != null) {
          assertArrayEquals(want.bytes(), got.bytes(), what);
          converted++;
        }
        assertEquals(want.findings(), got.findings(), what);
      }
      System.out.printf("parallel: %d tasks on %d threads over %d models, %d conversions byte-identical%n",
          TASKS, THREADS, models.size(), converted);
      assertTrue(converted >= TASKS / 2, "too few conversions succeeded: " + converted);
    } finally {
      pool.shutdownNow();
    }
  }

  private static Outcome run(ModelBridge bridge, Validator validator, Path model, Path out) throws Exception {
    byte[] bytes = null;
    String error = null;
    try {
      bridge.convert(model).to("onnx").writeTo(out);
      bytes = Files.readAllBytes(out);
    } catch (ModelException e) {
      // The output path is in the message; keep what is about the model.
      error = e.detail();
    }
    return new Outcome(bytes, error, validator.validate(model).findings());
  }
}
