package dev.modelbridge.e2e.savedmodel;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.modelbridge.api.ModelBridge;
import dev.modelbridge.e2e.support.BackendCase;
import dev.modelbridge.e2e.support.Corpus;
import dev.modelbridge.e2e.support.ReferenceData;
import dev.modelbridge.e2e.support.TensorComparator;
import dev.modelbridge.e2e.support.TensorValue;
import dev.modelbridge.format.ReadOptions;
import dev.modelbridge.format.WriteOptions;
import dev.modelbridge.ir.Model;
import dev.modelbridge.tensorflow.export.ExportRegistry;
import dev.modelbridge.tensorflow.export.UnsupportedOnnxOpsException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX's "simple" backend models (sequences, StringNormalizer, Expand, ...) converted to
 * SavedModels: TensorFlow runs each on the case's inputs and must give ONNX's reference outputs.
 * The training op Gradient is refused with an error that names it.
 */
class SimpleModelsSavedModelTest {
  @TempDir
  Path tmp;

  @TestFactory
  Stream<DynamicTest> simpleModelsMatchTheirReferenceOutputs() {
    List<BackendCase> cases = Corpus.backendCases(BackendCase.Suite.SIMPLE);
    if (cases.isEmpty()) {
      return Stream.of(DynamicTest.dynamicTest("shared corpus", () -> assumeTrue(false, "shared corpus not found")));
    }
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
  }

  private void check(BackendCase c) throws Exception {
    Model model = ModelBridge.create().formats().byId("onnx").read(c.model(), ReadOptions.defaults());
    Path out = tmp.resolve(c.name());
    if (c.name().startsWith("test_gradient_of_")) {
      UnsupportedOnnxOpsException e = assertThrows(UnsupportedOnnxOpsException.class,
          () -> OnnxToSavedModelTest.write(model, "savedmodel", out, WriteOptions.defaults()));
      assertTrue(e.getMessage().contains("Gradient"), e.getMessage());
      return;
    }
    long opset = model.opsetVersion("").orElse(1);
    assumeTrue(model.graph().nodes().stream()
        .allMatch(n -> ExportRegistry.standard().handler(n.domain(), n.opType(), opset).isPresent()),
        "an op of " + c.name() + " has no handler yet");
    ReferenceData data = ReferenceData.load(c);
    assertTrue(data.supported(), () -> data.unsupportedReason().orElse(""));
    OnnxToSavedModelTest.write(model, "savedmodel", out, WriteOptions.defaults());
    Map<String, TensorValue> got = SavedModelRunner.run(out, data.inputs());
    for (ReferenceData.Value want : data.outputs()) {
      TensorValue actual = got.get(want.name());
      if (actual == null) {
        fail("no output " + want.name());
      }
      Optional<TensorComparator.Mismatch> m = TensorComparator.compare(want.name(), want.tensor(), actual);
      m.ifPresent(mismatch -> fail(mismatch.message()));
    }
  }
}
