package dev.modelbridge.e2e.tensorflow.tfjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.api.ModelBridge;
import dev.modelbridge.e2e.support.Corpus;
import dev.modelbridge.e2e.support.OrtRunner;
import dev.modelbridge.e2e.support.ReferenceData;
import dev.modelbridge.e2e.support.TensorValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;

/**
 * SavedModels built and run by TensorFlow itself (TensorFlow Java 1.1.0, TensorFlow 2.18) are the
 * oracle: each model is exported with resource variables, run by TensorFlow on seeded random
 * inputs, converted to ONNX through the public API, run by ONNX Runtime on the same inputs, and
 * the outputs must agree within 1e-4. The corpus SavedModels whose signatures take float tensors
 * go through the same comparison. Prints one line per model.
 */
class TensorFlowJavaOracleTest {
  private static final double TOLERANCE = 1e-4;
  private static final Path OUT = Path.of("target", "tfjava-oracle");

  @Test
  void builtModelsMatchTensorFlow() throws Exception {
    assertAllMatch(OracleModels.all());
  }

  /** Keras LSTM and GRU layers that are not unrolled: While loops over TensorLists (RecurrentLoopModels). */
  @Test
  void recurrentLoopsMatchTensorFlow() throws Exception {
    assertAllMatch(RecurrentLoopModels.all());
  }

  /**
   * LSTM, GRU and Bidirectional layers with the structure tf.keras 2 saves: nested function calls down to
   * {@code standard_lstm}/{@code standard_gru}, with the unused cuDNN and gradient functions in the
   * library (KerasRecurrentModels).
   */
  @Test
  void kerasRecurrentLayersMatchTensorFlow() throws Exception {
    assertAllMatch(KerasRecurrentModels.all());
  }

  private static void assertAllMatch(List<OracleModels.Spec> specs) throws Exception {
    List<String> failures = new ArrayList<>();
    try (OrtRunner ort = new OrtRunner()) {
      for (OracleModels.Spec spec : specs) {
        Path dir = OUT.resolve(spec.name());
        deleteTree(dir);
        String ops;
        try (SavedModelBuilder b = new SavedModelBuilder(spec.name().hashCode())) {
          spec.body().accept(b);
          b.export(dir);
          ops = String.join(" ", b.opsUsed());
        }
        assertResourceVariablesInCheckpoint(dir);
        Map<String, TensorValue> inputs = randomInputs(spec.feeds(), 7);
        Map<String, TensorValue> expected = TensorFlowRunner.run(dir, new String[] {"serve"}, Signature.DEFAULT_KEY, inputs);
        String verdict = compare(dir, Signature.DEFAULT_KEY, inputs, expected, ort);
        System.out.printf("%-18s %s%n%-18s   ops: %s%n", spec.name(), verdict, "", ops);
        if (!verdict.startsWith("pass")) {
          failures.add(spec.name() + ": " + verdict);
        }
      }
    }
    assertEquals(List.of(), failures);
  }

  /** Corpus SavedModels, every signature with only float inputs and outputs, TensorFlow vs ORT. */
  @Test
  void corpusSavedModelsMatchTensorFlow() throws Exception {
    Path corpus = Corpus.root().orElse(null);
    Assumptions.assumeTrue(corpus != null, "shared corpus not present");
    List<String> wanted = List.of("half_plus_two", "x_plus_y", "VarsAndArithmetic", "tf_readvariableop_saved_model",
        "tf_variablev2_saved_model", "sample_model");
    List<Path> dirs;
    try (Stream<Path> s = Files.walk(corpus.resolve("tf-savedmodels"))) {
      dirs = s.filter(p -> Files.exists(p.resolve("saved_model.pb")) || Files.exists(p.resolve("saved_model.pbtxt")))
          .filter(p -> wanted.stream().anyMatch(w -> p.toString().contains(w))).sorted().toList();
    }
    List<String> failures = new ArrayList<>();
    int compared = 0;
    try (OrtRunner ort = new OrtRunner()) {
      for (Path dir : dirs) {
        String rel = corpus.relativize(dir).toString();
        String[] tags = rel.contains("empty_tags") ? new String[0] : new String[] {"serve"};
        SavedModelBundle bundle;
        try {
          bundle = SavedModelBundle.loader(dir.toString()).withTags(tags).load();
        } catch (RuntimeException e) {
          System.out.printf("%-60s TensorFlow Java cannot load it: %s%n", rel, firstLine(e));
          continue;
        }
        try (bundle) {
          for (Signature sig : new TreeMap<>(signatures(bundle)).values()) {
            String where = rel + " [" + sig.key() + "]";
            if (!allFloat(sig)) {
              System.out.printf("%-60s skipped: not all inputs and outputs are float32%n", where);
              continue;
            }
            Map<String, TensorValue> inputs = randomInputs(shapes(sig), 7);
            Map<String, TensorValue> expected = TensorFlowRunner.run(bundle, sig.key(), inputs);
            String verdict = compare(dir, sig.key(), inputs, expected, ort);
            compared++;
            System.out.printf("%-60s %s%n", where, verdict);
            if (!verdict.startsWith("pass")) {
              failures.add(where + ": " + verdict);
            }
          }
        }
      }
    }
    System.out.println(compared + " corpus signatures compared with TensorFlow");
    assertEquals(List.of(), failures);
    // The six models named in the issue, and the copies of half_plus_two, have 22 float signatures.
    assertTrue(compared >= 20, "signatures compared: " + compared);
  }

  /**
   * The export is what the test claims: resource variables (no VariableV2), a SaverDef whose
   * restore op the converter follows, and weights only in {@code variables/}, not in constants.
   */
  private static void assertResourceVariablesInCheckpoint(Path dir) throws java.io.IOException {
    MetaGraphDef meta = SavedModel.parseFrom(Files.readAllBytes(dir.resolve("saved_model.pb"))).getMetaGraphs(0);
    List<NodeDef> nodes = meta.getGraphDef().getNodeList();
    assertTrue(nodes.stream().anyMatch(n -> n.getOp().equals("VarHandleOp")), dir + ": no VarHandleOp");
    assertTrue(nodes.stream().noneMatch(n -> n.getOp().startsWith("Variable")), dir + ": reference variables");
    String restore = meta.getSaverDef().getRestoreOpName();
    assertTrue(restore.equals("save/restore_all") || restore.equals(Tf2Restore.CALL), "restore op " + restore);
    assertTrue(Files.isRegularFile(dir.resolve("variables/variables.index")), dir + ": no checkpoint");
    for (NodeDef n : nodes) {
      if (n.getOp().equals("Const") && n.getAttrOrThrow("dtype").getType() == DataType.DT_FLOAT) {
        var shape = n.getAttrOrThrow("value").getTensor().getTensorShape();
        assertTrue(shape.getDimCount() == 0 || shape.getDim(0).getSize() <= 1, n.getName() + " holds weights");
      }
    }
  }

  /** Converts {@code dir}'s signature to ONNX, runs it in ORT and compares with TensorFlow's outputs. */
  static String compare(Path dir, String signature, Map<String, TensorValue> inputs,
      Map<String, TensorValue> expected, OrtRunner ort) throws Exception {
    Path onnx = OUT.resolve(dir.getFileName() + "-" + Math.abs((dir + signature).hashCode()) + ".onnx");
    try {
      ModelBridge.create().convert(dir).readOption("signature", signature).to("onnx").overwrite(true).writeTo(onnx);
    } catch (dev.modelbridge.UnsupportedModelException e) {
      return "refused by the converter: " + e.getMessage();
    } catch (dev.modelbridge.ModelException e) {
      return "FAILED to convert: " + e.getMessage();
    }
    List<ReferenceData.Value> feeds = new ArrayList<>();
    inputs.forEach((k, v) -> feeds.add(new ReferenceData.Value(k, v)));
    OrtRunner.Execution ex = ort.execute(onnx, feeds);
    if (ex.refusal().isPresent()) {
      return "FAILED in ONNX Runtime: " + ex.refusal().get();
    }
    double max = 0;
    for (Map.Entry<String, TensorValue> e : expected.entrySet()) {
      TensorValue want = e.getValue();
      TensorValue got = ex.outputs().get(e.getKey());
      if (got == null) {
        return "FAILED: no output '" + e.getKey() + "' in " + ex.outputs().keySet();
      }
      if (!java.util.Arrays.equals(want.shape(), got.shape())) {
        return "FAILED: output '" + e.getKey() + "' shape " + java.util.Arrays.toString(got.shape()) + ", TensorFlow "
            + java.util.Arrays.toString(want.shape());
      }
      for (long i = 0; i < want.size(); i++) {
        max = Math.max(max, Math.abs(want.getDouble(i) - got.getDouble(i)));
      }
    }
    double magnitude = 0;
    for (TensorValue want : expected.values()) {
      for (long i = 0; i < want.size(); i++) {
        magnitude = Math.max(magnitude, Math.abs(want.getDouble(i)));
      }
    }
    String diff = String.format("max abs diff %.3g over %s (max |TensorFlow output| %.3g)", max, expected.keySet(), magnitude);
    return (max <= TOLERANCE ? "pass  " : "FAILED ") + diff;
  }

  static Map<String, Signature> signatures(SavedModelBundle bundle) {
    Map<String, Signature> out = new LinkedHashMap<>();
    bundle.signatures().forEach(s -> out.put(s.key(), s));
    out.remove("__saved_model_init_op");
    return out;
  }

  private static boolean allFloat(Signature sig) {
    return Stream.concat(sig.getInputs().values().stream(), sig.getOutputs().values().stream())
        .allMatch(d -> d.dataType == DataType.DT_FLOAT);
  }

  /** The signature's input shapes with unknown dimensions as 2 and unknown rank as a vector of 3. */
  static Map<String, long[]> shapes(Signature sig) {
    Map<String, long[]> out = new TreeMap<>();
    sig.getInputs().forEach((k, d) -> {
      long[] s = d.shape.isUnknown() ? new long[] {3} : d.shape.asArray().clone();
      for (int i = 0; i < s.length; i++) {
        s[i] = s[i] < 0 ? 2 : s[i];
      }
      out.put(k, s);
    });
    return out;
  }

  static Map<String, TensorValue> randomInputs(Map<String, long[]> shapes, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Map<String, TensorValue> out = new TreeMap<>();
    for (Map.Entry<String, long[]> e : new TreeMap<>(shapes).entrySet()) {
      long n = 1;
      for (long d : e.getValue()) {
        n *= d;
      }
      float[] v = new float[(int) n];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (r.nextDouble() * 2 - 1);
      }
      out.put(e.getKey(), TensorValue.ofFloats(e.getValue(), v));
    }
    return out;
  }

  private static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
