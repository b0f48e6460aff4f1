package dev.modelbridge.e2e.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.ModelException;
import dev.modelbridge.UnsupportedModelException;
import dev.modelbridge.api.ModelBridge;
import dev.modelbridge.e2e.support.Corpus;
import dev.modelbridge.e2e.support.OrtRunner;
import dev.modelbridge.e2e.support.ReferenceData;
import dev.modelbridge.e2e.support.TensorValue;
import dev.modelbridge.ir.Dim;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Type;
import dev.modelbridge.ir.ValueInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every SavedModel and frozen graph of the shared corpus either converts to ONNX that ONNX Runtime
 * runs, or is refused with an error naming the unsupported op or input. Where the corpus documents
 * a model's semantics, ORT's outputs are compared with values computed in Java ({@link TfOracles}).
 * Prints one line per model.
 */
class TfToOnnxOrtTest {
  private static final double TOLERANCE = 1e-4;

  @Test
  void corpusModelsConvertAndRunOrAreRefusedWithAReason() throws Exception {
    Path corpus = Corpus.root().orElse(null);
    Assumptions.assumeTrue(corpus != null, "shared corpus not present");
    ModelBridge bridge = ModelBridge.create();
    Path outDir = Path.of("target", "tf-onnx");
    List<String> report = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    int converted = 0;
    int checked = 0;
    try (OrtRunner ort = new OrtRunner()) {
      for (Path model : models(bridge, corpus)) {
        String rel = corpus.relativize(model).toString();
        Path out = outDir.resolve(rel.replace('/', '_') + ".onnx");
        Files.createDirectories(outDir);
        Model ir;
        try {
          ir = bridge.read(model);
          bridge.convert(model).to("onnx").overwrite(true).writeTo(out);
        } catch (UnsupportedModelException e) {
          report.add("refused    " + rel + ": " + e.detail() + location(e));
          continue;
        } catch (ModelException e) {
          report.add("invalid    " + rel + ": " + e.getMessage());
          continue;
        }
        converted++;
        Map<String, float[]> feeds = new LinkedHashMap<>();
        List<ReferenceData.Value> inputs = inputs(ir, feeds, rel);
        OrtRunner.Execution ex = ort.execute(out, inputs);
        if (ex.refusal().isPresent()) {
          failures.add(rel + ": ONNX Runtime: " + ex.refusal().get());
          report.add("FAILED     " + rel + ": " + ex.refusal().get());
          continue;
        }
        Optional<TfOracles.Oracle> oracle = TfOracles.forModel(corpus, rel);
        String verdict = "ran in ORT";
        if (oracle.isPresent()) {
          String mismatch = compare(oracle.get().expected(feeds), ex.outputs());
          if (mismatch != null) {
            failures.add(rel + ": " + mismatch);
          }
          verdict = mismatch == null ? "matches the Java oracle" : "MISMATCH " + mismatch;
          checked++;
        }
        report.add("converted  " + rel + ": " + ir.graph().nodes().size() + " nodes; " + verdict);
      }
    }
    report.forEach(System.out::println);
    System.out.printf("%d of %d converted, %d checked against an oracle%n", converted, report.size(), checked);
    assertEquals(List.of(), failures);
    assertTrue(checked >= 8, "oracle checks: " + checked);
  }

  private static String location(ModelException e) {
    return e.location().isEmpty() ? "" : " [" + String.join(": ", e.location()) + "]";
  }

  /** SavedModel folders and frozen graphs under tf-savedmodels/ and other/. */
  private static List<Path> models(ModelBridge bridge, Path corpus) throws Exception {
    List<Path> out = new ArrayList<>();
    for (String sub : List.of("tf-savedmodels", "other")) {
      try (Stream<Path> s = Files.walk(corpus.resolve(sub))) {
        for (Path p : s.toList()) {
          String name = p.getFileName().toString();
          boolean savedModel = Files.isDirectory(p) && Files.exists(p.resolve("saved_model.pb"))
              || Files.isDirectory(p) && Files.exists(p.resolve("saved_model.pbtxt"));
          boolean frozen = name.endsWith(".pb") && !name.equals("saved_model.pb") && !name.equals("fingerprint.pb")
              && !p.toString().contains("/debug/") && detects(bridge, p, "graphdef");
          if (savedModel || frozen) {
            out.add(p);
          }
        }
      }
    }
    out.sort(null);
    return out;
  }

  private static boolean detects(ModelBridge bridge, Path p, String id) {
    try {
      return bridge.detect(p).id().equals(id);
    } catch (ModelException e) {
      return false;
    }
  }

  /** Random float inputs of the declared shapes (symbolic dims 2, unknown rank a vector of 3). */
  /**
   * Inputs whose shape the graph leaves unknown, as the corpus describes them: the unrolled RNNs
   * take X [1,784] and a scalar keep_prob, 1 at inference.
   */
  private static final Map<String, long[]> KNOWN_SHAPES = Map.of("X", new long[] {1, 784}, "keep_prob", new long[0]);

  private static List<ReferenceData.Value> inputs(Model m, Map<String, float[]> feeds, String rel) {
    SplittableRandom random = new SplittableRandom(42);
    List<ReferenceData.Value> out = new ArrayList<>();
    for (ValueInfo v : m.graph().inputs()) {
      Type.TensorType t = (Type.TensorType) v.type().orElseThrow();
      if (t.elementType() != ElementType.FLOAT) {
        throw new IllegalStateException(v.name() + ": only float inputs are synthesized, not " + t.elementType());
      }
      boolean rnn = rel.contains("gru") || rel.contains("lstm");
      long[] shape = rnn && KNOWN_SHAPES.containsKey(v.name()) ? KNOWN_SHAPES.get(v.name())
          : t.shape().map(s -> s.dims().stream().mapToLong(d -> d instanceof Dim.Fixed f ? f.size() : 2).toArray())
          .orElse(new long[] {3});
      int n = 1;
      for (long d : shape) {
        n *= (int) d;
      }
      float[] values = new float[n];
      for (int i = 0; i < n; i++) {
        values[i] = v.name().equals("keep_prob") ? 1f : (float) (random.nextDouble() * 2 - 1);
      }
      feeds.put(v.name(), values);
      out.add(new ReferenceData.Value(v.name(), TensorValue.ofFloats(shape, values)));
    }
    return out;
  }

  private static String compare(Map<String, float[]> expected, Map<String, TensorValue> actual) {
    for (Map.Entry<String, float[]> e : expected.entrySet()) {
      TensorValue a = actual.get(e.getKey());
      if (a == null) {
        return "no output '" + e.getKey() + "' (outputs: " + actual.keySet() + ")";
      }
      if (a.size() != e.getValue().length) {
        return "output '" + e.getKey() + "' has " + a.size() + " values, expected " + e.getValue().length;
      }
      for (int i = 0; i < e.getValue().length; i++) {
        if (Math.abs(a.getDouble(i) - e.getValue()[i]) > TOLERANCE) {
          return "output '" + e.getKey() + "'[" + i + "] = " + a.getDouble(i) + ", expected " + e.getValue()[i];
        }
      }
    }
    return null;
  }
}
