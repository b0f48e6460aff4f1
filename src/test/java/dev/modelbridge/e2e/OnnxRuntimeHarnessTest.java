package dev.modelbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.modelbridge.e2e.support.BackendCase;
import dev.modelbridge.e2e.support.Corpus;
import dev.modelbridge.e2e.support.HarnessReport;
import dev.modelbridge.e2e.support.Outcome;
import dev.modelbridge.e2e.support.OrtRunner;
import dev.modelbridge.e2e.support.ReferenceData;
import dev.modelbridge.e2e.support.TensorComparator;
import dev.modelbridge.e2e.support.TensorValue;
import dev.modelbridge.schemas.onnx.TensorProto;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Proves the ONNX Runtime oracle harness on the corpus's original models: if the harness cannot
 * make ONNX Runtime agree with ONNX's own reference outputs on unmodified models, its verdicts on
 * rewritten models would mean nothing.
 */
class OnnxRuntimeHarnessTest {

  /** Far below the number that passes, far above what a broken decoder or comparator would reach. */
  private static final long MIN_NODE_PASSES = 1000;

  @Test
  void originalBackendModelsMatchTheirReferenceOutputs() throws Exception {
    assumeTrue(Corpus.onnxBackendRoot().isPresent(), "shared corpus not found; skipping");
    List<BackendCase> cases = Corpus.backendCases();
    assumeTrue(!cases.isEmpty(), "no ONNX backend cases in the corpus; skipping");

    HarnessReport report = new HarnessReport();
    long start = System.nanoTime();
    String version;
    try (OrtRunner runner = new OrtRunner()) {
      version = runner.ortVersion();
      for (BackendCase c : cases) {
        report.add(c, runner.run(c));
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    report.writeTsv(Path.of("target", "ort-harness-original.tsv"));

    System.out.printf("ONNX Runtime %s over %d corpus cases in %.1f s%n%s%n", version, cases.size(), seconds,
        report.countsTable());
    System.out.println("NOT_RUNNABLE, grouped by reason:");
    System.out.println(report.grouped(Outcome.Status.NOT_RUNNABLE));
    System.out.println("UNSUPPORTED_BY_HARNESS, grouped by reason:");
    System.out.println(report.grouped(Outcome.Status.UNSUPPORTED_BY_HARNESS));
    System.out.println("FAIL:");
    System.out.println(report.details(Outcome.Status.FAIL));
    System.out.println("HARNESS_ERROR:");
    System.out.println(report.details(Outcome.Status.HARNESS_ERROR));

    assertEquals(0, report.withStatus(Outcome.Status.HARNESS_ERROR).size(),
        "the harness threw on some cases:\n" + report.details(Outcome.Status.HARNESS_ERROR));
    long nodePasses = report.count(BackendCase.Suite.NODE, Outcome.Status.PASS);
    assertTrue(nodePasses >= MIN_NODE_PASSES,
        "only " + nodePasses + " node tests pass; expected at least " + MIN_NODE_PASSES);
  }

  /** A harness that passes everything would pass the test above too; this one must fail. */
  @Test
  void aWrongReferenceOutputIsReportedAsFail() throws Exception {
    Optional<BackendCase> abs = Corpus.backendCases(BackendCase.Suite.NODE).stream()
        .filter(c -> c.name().equals("test_abs")).findFirst();
    assumeTrue(abs.isPresent(), "node/test_abs not in the corpus; skipping");
    ReferenceData data = ReferenceData.load(abs.get());
    ReferenceData.Value out = data.outputs().get(0);
    float[] shifted = new float[Math.toIntExact(out.tensor().size())];
    for (int i = 0; i < shifted.length; i++) {
      shifted[i] = (float) out.tensor().getDouble(i) + (i == 7 ? 0.01f : 0f);
    }
    ReferenceData wrong = ReferenceData.of(data.inputs(),
        List.of(new ReferenceData.Value(out.name(), TensorValue.ofFloats(out.tensor().shape(), shifted))));

    try (OrtRunner runner = new OrtRunner()) {
      assertEquals(Outcome.Status.PASS, runner.run(abs.get().model(), data).status());
      Outcome o = runner.run(abs.get().model(), wrong);
      assertEquals(Outcome.Status.FAIL, o.status());
      assertTrue(o.detail().contains("at [7]"), o.detail());
    }
  }

  @Test
  void comparatorTreatsNanInfinityAndToleranceAsSpecified() {
    long[] shape = {4};
    TensorValue expected = TensorValue.ofFloats(shape, new float[] {Float.NaN, Float.POSITIVE_INFINITY, 100f, 0f});
    TensorValue close = TensorValue.ofFloats(shape, new float[] {Float.NaN, Float.POSITIVE_INFINITY, 100.1f, 9e-5f});
    assertTrue(TensorComparator.compare("y", expected, close).isEmpty());

    TensorValue negInf = TensorValue.ofFloats(shape, new float[] {Float.NaN, Float.NEGATIVE_INFINITY, 100f, 0f});
    assertEquals(1, TensorComparator.compare("y", expected, negInf).orElseThrow().index());
    TensorValue far = TensorValue.ofFloats(shape, new float[] {Float.NaN, Float.POSITIVE_INFINITY, 100.2f, 0f});
    assertEquals(2, TensorComparator.compare("y", expected, far).orElseThrow().index());
    TensorValue reshaped = TensorValue.ofFloats(new long[] {2, 2}, new float[] {Float.NaN, Float.POSITIVE_INFINITY, 100f, 0f});
    assertEquals(-1, TensorComparator.compare("y", expected, reshaped).orElseThrow().index());

    // float16 1.0 and 1.0009765625 (one ulp apart) are within 1e-3 relative + 1e-4 absolute.
    TensorValue h1 = TensorValue.fromProto(half(0x3C00));
    TensorValue h2 = TensorValue.fromProto(half(0x3C01));
    assertTrue(TensorComparator.compare("h", h1, h2).isEmpty());
    assertFalse(TensorComparator.compare("h", h1, TensorValue.fromProto(half(0x3C04))).isEmpty());
  }

  /** A one-element float16 tensor stored in int32_data, the typed-field layout. */
  private static TensorProto half(int bits) {
    return TensorProto.newBuilder().setDataType(TensorProto.DataType.FLOAT16_VALUE).addDims(1).addInt32Data(bits).build();
  }
}
