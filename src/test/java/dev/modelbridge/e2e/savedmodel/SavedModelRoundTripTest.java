package dev.modelbridge.e2e.savedmodel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.api.ModelBridge;
import dev.modelbridge.e2e.support.BackendCase;
import dev.modelbridge.e2e.support.OrtRunner;
import dev.modelbridge.e2e.support.ReferenceData;
import dev.modelbridge.e2e.support.TensorComparator;
import dev.modelbridge.e2e.support.TensorValue;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 5, acceptance 3: ONNX to SavedModel to ONNX (our writer, then our SavedModel reader) for
 * the light zoo CNNs; ONNX Runtime runs the original and the round-tripped model on the same input
 * and the outputs agree within {@link TensorComparator.Tolerance#DEFAULT}.
 */
class SavedModelRoundTripTest {

  /**
   * All nine. The shufflenet's grouped convolutions become DepthwiseConv2dNative on a filled
   * (ConstantOfShape) kernel; the reader takes the filter's dims from static shape inference.
   */
  static java.util.stream.Stream<String> models() {
    return ZooCnnSavedModelTest.models();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void roundTripMatchesOriginalInOnnxRuntime(String name, @TempDir Path tmp) throws Exception {
    BackendCase c = ZooCnnSavedModelTest.lightCase(name);
    // The squeezenet's softmax is too ill-conditioned to compare (see ZooCnnSavedModelTest): its logits are compared.
    String logits = ZooCnnSavedModelTest.ILL_CONDITIONED.get(name);
    Path original = logits == null ? c.model() : ZooCnnSavedModelTest.withOutput(c.model(), logits, tmp);
    roundTrip(name, c, original, logits, tmp);
  }

  /**
   * The same with random weights as initializers (where constant weights cannot hide a layout
   * error): the kernels go to the checkpoint in TensorFlow's layout and come back as ONNX kernels.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void randomWeightRoundTripMatchesOriginalInOnnxRuntime(String name, @TempDir Path tmp) throws Exception {
    BackendCase c = ZooCnnSavedModelTest.lightCase(name);
    roundTrip(name + " (random weights)", c, LayoutSavedModelTest.randomized(c.model(), tmp.resolve("random.onnx")), null, tmp);
  }

  private static void roundTrip(String name, BackendCase c, Path original, String logits, Path tmp) throws Exception {
    Path saved = tmp.resolve("saved");
    ModelBridge.create().convert(original).to("savedmodel").writeTo(saved);
    Path back = tmp.resolve("back").resolve("model.onnx");
    java.nio.file.Files.createDirectories(back.getParent());
    ModelBridge.create().convert(saved).to("onnx").writeTo(back);
    List<ReferenceData.Value> inputs = ReferenceData.load(c).inputs();
    try (OrtRunner ort = new OrtRunner()) {
      OrtRunner.Execution want = ort.execute(original, inputs);
      OrtRunner.Execution got = ort.execute(back, inputs);
      assertTrue(want.refusal().isEmpty(), () -> want.refusal().toString());
      assertTrue(got.refusal().isEmpty(), () -> got.refusal().toString());
      double max = 0;
      for (Map.Entry<String, TensorValue> e : want.outputs().entrySet()) {
        if (logits != null && !e.getKey().equals(logits)) {
          continue;
        }
        TensorValue g = got.outputs().get(e.getKey());
        assertTrue(g != null, () -> "no output " + e.getKey() + " in " + got.outputs().keySet());
        Optional<TensorComparator.Mismatch> m = TensorComparator.compare(e.getKey(), e.getValue(), g);
        assertTrue(m.isEmpty(), () -> m.get().message());
        for (long i = 0; i < g.size(); i++) {
          max = Math.max(max, Math.abs(g.getDouble(i) - e.getValue().getDouble(i)));
        }
      }
      System.out.printf(Locale.ROOT, "%s: ONNX -> SavedModel -> ONNX, max abs diff in ONNX Runtime %.3g%n", name, max);
    }
  }
}
