package dev.modelbridge.e2e.savedmodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.modelbridge.api.ModelBridge;
import dev.modelbridge.e2e.support.BackendCase;
import dev.modelbridge.e2e.support.Corpus;
import dev.modelbridge.e2e.support.OrtRunner;
import dev.modelbridge.e2e.support.ReferenceData;
import dev.modelbridge.e2e.support.TensorComparator;
import dev.modelbridge.e2e.support.TensorValue;
import dev.modelbridge.schemas.onnx.ModelProto;
import dev.modelbridge.schemas.onnx.TensorProto;
import dev.modelbridge.schemas.onnx.TypeProto;
import dev.modelbridge.schemas.onnx.ValueInfoProto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;

/**
 * Issue 5, acceptance 2: the nine light zoo CNNs of the corpus ({@code onnx-backend/light}, opset 9)
 * convert to SavedModels that TensorFlow Java runs, and the outputs match ONNX's reference outputs
 * within {@link TensorComparator.Tolerance#DEFAULT} (1e-4 absolute + 1e-3 relative). One test per
 * model; skipped when the corpus is absent.
 */
class ZooCnnSavedModelTest {
  /**
   * Models whose reference output no faithful float32 conversion can meet, with the logits compared
   * against ONNX Runtime instead. The light squeezenet's constant weights (all 0.02) drive its
   * logits to about 9.5e9, where one float step is 1024: its softmax is uniform (the reference)
   * only when all 1000 logits are bit-identical, which they are not in TensorFlow's blocked
   * convolution sums (TensorFlow 9.475681e9, ONNX Runtime 9.475688e9: 8e-7 apart, yet the softmax
   * puts 1/8 on eight channels).
   */
  static final Map<String, String> ILL_CONDITIONED = Map.of("light_squeezenet", "r65");

  static Stream<String> models() {
    return Stream.of("light_bvlc_alexnet", "light_densenet121", "light_inception_v1", "light_inception_v2",
        "light_resnet50", "light_shufflenet", "light_squeezenet", "light_vgg19", "light_zfnet512");
  }

  /** The corpus case named {@code name}; skips the test when the corpus is absent. */
  static BackendCase lightCase(String name) {
    Optional<BackendCase> c = Corpus.backendCases(BackendCase.Suite.LIGHT).stream()
        .filter(b -> b.name().equals(name)).findFirst();
    assumeTrue(c.isPresent(), "corpus model " + name + " is absent");
    return c.get();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void convertsAndMatchesReference(String name, @TempDir Path tmp) throws Exception {
    BackendCase c = lightCase(name);
    ReferenceData ref = ReferenceData.load(c);
    Path model = ILL_CONDITIONED.containsKey(name) ? withOutput(c.model(), ILL_CONDITIONED.get(name), tmp) : c.model();
    Path out = tmp.resolve(name);
    ModelBridge.create().convert(model).to("savedmodel").writeTo(out);
    long start = System.nanoTime();
    Map<String, TensorValue> got = SavedModelRunner.run(out, ref.inputs());
    double seconds = (System.nanoTime() - start) / 1e9;
    double max = ILL_CONDITIONED.containsKey(name)
        ? assertMatchesOrt(model, ref, got, ILL_CONDITIONED.get(name)) : assertMatches(ref, got);
    String vs = ILL_CONDITIONED.containsKey(name) ? "ONNX Runtime logits max rel" : "reference max abs";
    System.out.printf(Locale.ROOT, "%s: TensorFlow vs %s diff %.3g, %d Transpose nodes, TF load+run %.1f s%n",
        name, vs, max, transposeCount(out), seconds);
  }

  /** Asserts every reference output within the default tolerance; returns the largest absolute difference. */
  static double assertMatches(ReferenceData ref, Map<String, TensorValue> got) {
    double max = 0;
    for (ReferenceData.Value want : ref.outputs()) {
      TensorValue actual = got.get(want.name());
      assertTrue(actual != null, () -> "no output " + want.name() + " among " + got.keySet());
      Optional<TensorComparator.Mismatch> m = TensorComparator.compare(want.name(), want.tensor(), actual);
      assertTrue(m.isEmpty(), () -> m.get().message());
      assertEquals(want.tensor().size(), actual.size());
      for (long i = 0; i < actual.size(); i++) {
        max = Math.max(max, Math.abs(actual.getDouble(i) - want.tensor().getDouble(i)));
      }
    }
    return max;
  }

  /**
   * ONNX Runtime runs {@code model} on the same inputs; output {@code logits} agrees within the
   * default tolerance and the reference outputs have their reference shapes. Returns the largest
   * absolute difference of the logits.
   */
  static double assertMatchesOrt(Path model, ReferenceData ref, Map<String, TensorValue> got, String logits)
      throws Exception {
    for (ReferenceData.Value want : ref.outputs()) {
      assertArrayEquals(want.tensor().shape(), got.get(want.name()).shape(), want.name());
    }
    TensorValue expected;
    try (OrtRunner ort = new OrtRunner()) {
      OrtRunner.Execution e = ort.execute(model, ref.inputs());
      assertTrue(e.refusal().isEmpty(), () -> e.refusal().toString());
      expected = e.outputs().get(logits);
    }
    TensorValue actual = got.get(logits);
    Optional<TensorComparator.Mismatch> m = TensorComparator.compare(logits, expected, actual);
    assertTrue(m.isEmpty(), () -> m.get().message());
    double max = 0;
    for (long i = 0; i < actual.size(); i++) {
      max = Math.max(max, Math.abs(actual.getDouble(i) - expected.getDouble(i)) / Math.abs(expected.getDouble(i)));
    }
    System.out.printf(Locale.ROOT, "%s: logits '%s' checked against ONNX Runtime, max relative diff %.3g%n",
        model.getFileName(), logits, max);
    return max;
  }

  /** A copy of {@code model} in {@code dir} with the intermediate value {@code name} as an extra graph output. */
  static Path withOutput(Path model, String name, Path dir) throws IOException {
    ModelProto.Builder m;
    try (InputStream in = Files.newInputStream(model)) {
      m = ModelProto.parseFrom(in).toBuilder();
    }
    // A float tensor of unknown shape: enough for the writer's checks, and these logits are float.
    TypeProto.Tensor.Builder t = TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE);
    m.getGraphBuilder().addOutput(ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(t)));
    Path out = dir.resolve(model.getFileName());
    Files.write(out, m.build().toByteArray());
    return out;
  }

  /** The Transpose NodeDefs in the SavedModel's graph. */
  static long transposeCount(Path savedModel) throws IOException {
    try (InputStream in = Files.newInputStream(savedModel.resolve("saved_model.pb"))) {
      return SavedModel.parseFrom(in).getMetaGraphs(0).getGraphDef().getNodeList().stream()
          .map(NodeDef::getOp).filter("Transpose"::equals).count();
    }
  }
}
