package dev.modelbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.modelbridge.ModelException;
import dev.modelbridge.e2e.support.BackendCase;
import dev.modelbridge.e2e.support.Corpus;
import dev.modelbridge.e2e.support.HarnessReport;
import dev.modelbridge.e2e.support.OrtRunner;
import dev.modelbridge.e2e.support.Outcome;
import dev.modelbridge.e2e.support.ReferenceData;
import dev.modelbridge.e2e.support.TensorComparator;
import dev.modelbridge.e2e.support.TensorValue;
import dev.modelbridge.format.ReadOptions;
import dev.modelbridge.format.StagedOutput;
import dev.modelbridge.format.WriteOptions;
import dev.modelbridge.ir.Model;
import dev.modelbridge.onnx.OnnxFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 1 and 3 of the foundation: every corpus model is read and written back, once with all
 * tensors inline and once with every tensor in external data, and ONNX Runtime runs all three
 * versions on the reference inputs. Every model ONNX Runtime runs correctly in its original form
 * must pass in both rewritten forms, and the external-data form must give outputs identical to the
 * original's, bit for bit.
 */
class OnnxRoundTripOrtTest {
  private static final TensorComparator.Tolerance EXACT = new TensorComparator.Tolerance(0, 0);
  private final OnnxFormat onnx = new OnnxFormat();

  @Test
  void rewrittenModelsRunLikeTheOriginals(@TempDir Path tmp) throws Exception {
    List<BackendCase> cases = Corpus.backendCases();
    assumeTrue(!cases.isEmpty(), "shared corpus not found; skipping");
    HarnessReport original = new HarnessReport();
    HarnessReport inline = new HarnessReport();
    HarnessReport external = new HarnessReport();
    List<String> regressions = new ArrayList<>();
    int identical = 0;
    long start = System.nanoTime();
    try (OrtRunner runner = new OrtRunner()) {
      for (BackendCase c : cases) {
        ReferenceData data = ReferenceData.load(c);
        Outcome before = runner.run(c.model(), data);
        original.add(c, before);
        Path dir = Files.createDirectories(tmp.resolve(c.suite().folder()).resolve(c.name()));
        Outcome afterInline = rewriteAndRun(runner, c, data, dir.resolve("inline.onnx"), WriteOptions.defaults());
        Path ext = dir.resolve("external.onnx");
        Outcome afterExternal = rewriteAndRun(runner, c, data, ext,
            WriteOptions.defaults().withExternalData(true).withThreshold(0));
        inline.add(c, afterInline);
        external.add(c, afterExternal);
        if (before.passed()) {
          check(c, "inline", afterInline, regressions);
          check(c, "external data", afterExternal, regressions);
          Optional<String> diff = sameOutputs(runner, c.model(), ext, data);
          if (diff.isPresent()) {
            regressions.add(c.name() + " (external data): outputs not identical to the original's: " + diff.get());
          } else {
            identical++;
          }
        }
        deleteTree(dir);
      }
    }
    System.out.printf("round trip through ONNX Runtime, %d cases in %.1f s%n", cases.size(),
        (System.nanoTime() - start) / 1e9);
    System.out.println("original models:\n" + original.countsTable());
    System.out.println("rewritten, tensors inline:\n" + inline.countsTable());
    System.out.println("rewritten, every tensor in external data:\n" + external.countsTable());
    System.out.printf("external-data rewrites with outputs bit-identical to the original: %d of %d passing%n",
        identical, original.withStatus(Outcome.Status.PASS).size());
    System.out.println("models ONNX Runtime cannot run in their original form, by reason:");
    System.out.println(original.grouped(Outcome.Status.NOT_RUNNABLE));
    System.out.println("models the harness cannot feed (non-tensor inputs or outputs):");
    System.out.println(original.grouped(Outcome.Status.UNSUPPORTED_BY_HARNESS));
    System.out.println("models ONNX Runtime runs but gets wrong in their original form:");
    System.out.println(original.details(Outcome.Status.FAIL));
    regressions.forEach(r -> System.out.println("  REGRESSION " + r));
    assertTrue(regressions.isEmpty(), regressions.size() + " regressions:\n" + String.join("\n", regressions));
  }

  private Outcome rewriteAndRun(OrtRunner runner, BackendCase c, ReferenceData data, Path out, WriteOptions options) {
    try {
      Model model = onnx.read(c.model(), ReadOptions.defaults());
      try (StagedOutput staged = new StagedOutput(out, false)) {
        onnx.write(model, staged, options);
        staged.commit();
      }
      // Read back what was written, so the external-data reader is exercised too.
      onnx.read(out, ReadOptions.defaults());
    } catch (ModelException e) {
      return Outcome.fail("ModelBridge could not rewrite it: " + e.getMessage());
    }
    return runner.run(out, data);
  }

  private static void check(BackendCase c, String form, Outcome after, List<String> regressions) {
    if (!after.passed()) {
      regressions.add(c.suite().folder() + "/" + c.name() + " (" + form + "): " + after);
    }
  }

  private static Optional<String> sameOutputs(OrtRunner runner, Path a, Path b, ReferenceData data) {
    OrtRunner.Execution ea = runner.execute(a, data.inputs());
    OrtRunner.Execution eb = runner.execute(b, data.inputs());
    if (ea.refusal().isPresent() || eb.refusal().isPresent()) {
      return Optional.of("refused: " + ea.refusal().or(eb::refusal).orElseThrow());
    }
    for (Map.Entry<String, TensorValue> e : ea.outputs().entrySet()) {
      TensorValue other = eb.outputs().get(e.getKey());
      if (other == null) {
        return Optional.of("output " + e.getKey() + " missing");
      }
      Optional<TensorComparator.Mismatch> m = TensorComparator.compare(e.getKey(), e.getValue(), other, EXACT);
      if (m.isPresent()) {
        return Optional.of(m.get().message());
      }
    }
    return Optional.empty();
  }

  private static void deleteTree(Path dir) throws Exception {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
