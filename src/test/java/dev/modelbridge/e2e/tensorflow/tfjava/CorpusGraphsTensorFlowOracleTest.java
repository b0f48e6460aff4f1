package dev.modelbridge.e2e.tensorflow.tfjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.modelbridge.api.ModelBridge;
import dev.modelbridge.e2e.support.Corpus;
import dev.modelbridge.e2e.support.OrtRunner;
import dev.modelbridge.e2e.support.ReferenceData;
import dev.modelbridge.e2e.support.TensorComparator;
import dev.modelbridge.e2e.support.TensorValue;
import dev.modelbridge.ir.Dim;
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
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;

/**
 * The corpus graphs that the SavedModel-signature oracle does not cover, run by TensorFlow itself:
 * frozen GraphDefs (imported into a TensorFlow Java graph) and the remaining float SavedModels.
 * ONNX Runtime runs our conversion on the same seeded inputs; outputs agree to 1e-4.
 */
class CorpusGraphsTensorFlowOracleTest {
  private static final TensorComparator.Tolerance TOLERANCE = new TensorComparator.Tolerance(1e-4, 0);
  /** Frozen graphs and the shapes of inputs they leave unknown (tf2onnx feeds X as [1, 784]). */
  private static final Map<String, Map<String, long[]>> FROZEN = Map.of(
      "other/tf2onnx/ae0/frozen.pb", Map.of("X", new long[] {1, 784}),
      "other/tf2onnx/fc-layers/frozen.pb", Map.of("X", new long[] {1, 784}),
      "other/tf2onnx/gru/frozen.pb", Map.of("X", new long[] {1, 784}, "keep_prob", new long[0]),
      "other/tf2onnx/lstm/frozen.pb", Map.of("X", new long[] {1, 784}, "keep_prob", new long[0]),
      "other/tf2onnx/regression/graphdef/frozen.pb", Map.of("X", new long[] {1}),
      "other/tensorflow/lite/testdata/multi_add.pb", Map.of());
  /**
   * The float SavedModels left. UninitializedVariable is not among them: TensorFlow itself cannot
   * load it (a variable's key is missing from its checkpoint); its signature does not read that
   * variable, so ModelBridge converts it, and ONNX Runtime runs it in TfToOnnxOrtTest. The chunked
   * models, which compute doubles, are in {@link #DOUBLE_MODELS}.
   */
  private static final List<String> SAVED_MODELS = List.of(
      "other/tf2onnx/regression/saved_model",
      "other/tf2onnx/saved_model_with_redundant_inputs");

  /** The chunked-format pair: no inputs, one double output. */
  private static final List<String> DOUBLE_MODELS = List.of(
      "tf-savedmodels/tensorflow/cc/saved_model/testdata/chunked_saved_model/non_chunked_model",
      "tf-savedmodels/tensorflow/cc/saved_model/testdata/chunked_saved_model/chunked_model");

  @Test
  void tensorFlowAndOnnxRuntimeAgree() throws Exception {
    Path corpus = Corpus.root().orElse(null);
    assumeTrue(corpus != null, "shared corpus not present");
    ModelBridge bridge = ModelBridge.create();
    Path outDir = Files.createDirectories(Path.of("target", "tf-oracle-graphs"));
    List<String> failures = new ArrayList<>();
    int compared = 0;
    try (OrtRunner ort = new OrtRunner()) {
      for (String rel : new java.util.TreeSet<>(FROZEN.keySet())) {
        Path out = outDir.resolve(rel.replace('/', '_') + ".onnx");
        bridge.convert(corpus.resolve(rel)).to("onnx").overwrite(true).writeTo(out);
        Map<String, TensorValue> inputs = inputs(bridge.read(out), FROZEN.get(rel));
        Map<String, TensorValue> expected = runFrozen(corpus.resolve(rel), inputs, bridge.read(out));
        compared += compare(rel, expected, ort, out, inputs, failures);
      }
      for (String rel : SAVED_MODELS) {
        Path out = outDir.resolve(rel.replace('/', '_') + ".onnx");
        bridge.convert(corpus.resolve(rel)).to("onnx").overwrite(true).writeTo(out);
        // The regression model leaves X's shape unknown; tf2onnx feeds it a vector of one.
        Map<String, TensorValue> inputs = inputs(bridge.read(out), Map.of("X", new long[] {1}));
        Map<String, TensorValue> expected =
            TensorFlowRunner.run(corpus.resolve(rel), new String[] {"serve"}, "serving_default", inputs);
        compared += compare(rel, expected, ort, out, inputs, failures);
      }
    }
    try (OrtRunner ort = new OrtRunner()) {
      for (String rel : DOUBLE_MODELS) {
        Path out = outDir.resolve(rel.replace('/', '_') + ".onnx");
        bridge.convert(corpus.resolve(rel)).to("onnx").overwrite(true).writeTo(out);
        compared += compare(rel, runDoubles(corpus.resolve(rel)), ort, out, Map.of(), failures);
      }
    }
    System.out.printf("TensorFlow Java oracle on %d corpus graphs: %d outputs compared%n",
        FROZEN.size() + SAVED_MODELS.size() + DOUBLE_MODELS.size(), compared);
    assertEquals(List.of(), failures);
  }

  private static int compare(String rel, Map<String, TensorValue> expected, OrtRunner ort, Path onnx,
      Map<String, TensorValue> inputs, List<String> failures) {
    List<ReferenceData.Value> feeds = new ArrayList<>();
    inputs.forEach((k, v) -> feeds.add(new ReferenceData.Value(k, v)));
    OrtRunner.Execution ex = ort.execute(onnx, feeds);
    if (ex.refusal().isPresent()) {
      failures.add(rel + ": ONNX Runtime refused: " + ex.refusal().get());
      return 0;
    }
    int n = 0;
    for (Map.Entry<String, TensorValue> e : expected.entrySet()) {
      TensorValue actual = ex.outputs().get(e.getKey());
      Optional<TensorComparator.Mismatch> m = actual == null ? Optional.of(new TensorComparator.Mismatch(
          e.getKey(), -1, "an output", "none")) : TensorComparator.compare(e.getKey(), e.getValue(), actual, TOLERANCE);
      System.out.printf("%s [%s]: %s%n", rel, e.getKey(), m.map(TensorComparator.Mismatch::message).orElse("matches"));
      m.ifPresent(x -> failures.add(rel + ": " + x.message()));
      n++;
    }
    return n;
  }

  /** Seeded float inputs of the model's declared shapes; symbolic or unknown dims become 1. */
  private static Map<String, TensorValue> inputs(Model onnx, Map<String, long[]> known) {
    Map<String, TensorValue> out = new LinkedHashMap<>();
    SplittableRandom random = new SplittableRandom(17);
    for (ValueInfo v : onnx.graph().inputs()) {
      long[] shape = known.get(v.name());
      if (shape == null) {
        Type.TensorType t = (Type.TensorType) v.type().orElseThrow();
        List<Dim> dims = t.shape().orElseThrow().dims();
        shape = dims.stream().mapToLong(d -> d instanceof Dim.Fixed f ? f.size() : 1).toArray();
      }
      long count = 1;
      for (long d : shape) {
        count *= d;
      }
      float[] values = new float[(int) count];
      for (int i = 0; i < values.length; i++) {
        values[i] = v.name().equals("keep_prob") ? 1f : (float) (random.nextDouble() * 2 - 1);
      }
      out.put(v.name(), TensorValue.ofFloats(shape, values));
    }
    return out;
  }

  /** Runs serving_default of an input-less SavedModel whose outputs are doubles. */
  private static Map<String, TensorValue> runDoubles(Path dir) {
    Map<String, TensorValue> out = new LinkedHashMap<>();
    try (org.tensorflow.SavedModelBundle b = org.tensorflow.SavedModelBundle.load(dir.toString(), "serve");
        Result r = b.function("serving_default").call(Map.of())) {
      for (Map.Entry<String, Tensor> e : r) {
        org.tensorflow.types.TFloat64 t = (org.tensorflow.types.TFloat64) e.getValue();
        double[] data = new double[(int) t.size()];
        t.copyTo(DataBuffers.of(data, false, false));
        var proto = dev.modelbridge.schemas.onnx.TensorProto.newBuilder()
            .setDataType(dev.modelbridge.schemas.onnx.TensorProto.DataType.DOUBLE_VALUE);
        for (long d : t.shape().asArray()) {
          proto.addDims(d);
        }
        for (double v : data) {
          proto.addDoubleData(v);
        }
        out.put(e.getKey(), TensorValue.fromProto(proto.build()));
      }
    }
    return out;
  }

  /** Imports a frozen GraphDef into TensorFlow and runs it; inputs and outputs by node name. */
  private static Map<String, TensorValue> runFrozen(Path pb, Map<String, TensorValue> inputs, Model onnx)
      throws Exception {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      g.importGraphDef(GraphDef.parseFrom(Files.readAllBytes(pb)));
      Session.Runner runner = s.runner();
      List<Tensor> owned = new ArrayList<>();
      for (Map.Entry<String, TensorValue> e : inputs.entrySet()) {
        TensorValue v = e.getValue();
        float[] data = new float[(int) v.size()];
        for (int i = 0; i < data.length; i++) {
          data[i] = (float) v.getDouble(i);
        }
        TFloat32 t = TFloat32.tensorOf(Shape.of(v.shape()), DataBuffers.of(data, true, false));
        owned.add(t);
        runner.feed(e.getKey() + ":0", t);
      }
      List<String> names = onnx.graph().outputs().stream().map(ValueInfo::name).toList();
      names.forEach(n -> runner.fetch(n.contains(":") ? n : n + ":0"));
      Map<String, TensorValue> out = new LinkedHashMap<>();
      try (Result r = runner.run()) {
        for (int i = 0; i < names.size(); i++) {
          TFloat32 t = (TFloat32) r.get(i);
          float[] data = new float[(int) t.size()];
          t.copyTo(DataBuffers.of(data, false, false));
          out.put(names.get(i), TensorValue.ofFloats(t.shape().asArray(), data));
        }
      } finally {
        owned.forEach(Tensor::close);
      }
      return out;
    }
  }
}
