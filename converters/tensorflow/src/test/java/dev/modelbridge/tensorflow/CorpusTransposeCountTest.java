package dev.modelbridge.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.api.ModelBridge;
import dev.modelbridge.format.ReadOptions;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Type;
import dev.modelbridge.tensorflow.TfVsOrt.Feed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The corpus' plain NHWC CNN (TensorRT's sample_model: Conv2D, BiasAdd, Relu twice): after the
 * transpose optimisation one Transpose remains at the input and one at the output, and ONNX
 * Runtime computes the same as on the unoptimised conversion.
 */
class CorpusTransposeCountTest {
  @TempDir
  Path dir;

  @Test
  void sampleModelKeepsOneTransposeAtEachEnd() throws Exception {
    Path model = TfCorpusReadTest.corpus()
        .resolve("tf-savedmodels/tensorflow/python/compiler/tensorrt/model_tests/sample_model");
    Assumptions.assumeTrue(Files.isDirectory(model), "sample_model not in the corpus");
    ReadOptions raw = ReadOptions.defaults().with("optimize", "false");
    Model before = new SavedModelFormat().read(model, raw);
    Model after = new SavedModelFormat().read(model, ReadOptions.defaults());
    long b = TfVsOrt.count(before, "Transpose");
    long a = TfVsOrt.count(after, "Transpose");
    System.out.printf("sample_model: %d Transposes before the pass, %d after%n", b, a);
    assertTrue(a <= after.graph().inputs().size() + after.graph().outputs().size(), "after: " + a);
    assertTrue(a < b);

    Path rawOnnx = dir.resolve("raw.onnx");
    Path optOnnx = dir.resolve("opt.onnx");
    ModelBridge.create().convert(model).readOptions(raw).to("onnx").writeTo(rawOnnx);
    ModelBridge.create().convert(model).to("onnx").writeTo(optOnnx);
    var input = after.graph().inputs().get(0);
    long[] shape = ((Type.TensorType) input.type().orElseThrow()).shape().orElseThrow().dims().stream()
        .mapToLong(d -> d instanceof dev.modelbridge.ir.Dim.Fixed f ? f.size() : 2).toArray();
    String out = after.graph().outputs().get(0).name();
    List<Feed> feeds = List.of(Feed.floats(input.name(), shape));
    Map<String, double[]> want = TfVsOrt.runOrt(rawOnnx, feeds, out);
    Map<String, double[]> got = TfVsOrt.runOrt(optOnnx, feeds, out);
    assertEquals(want.get(out).length, got.get(out).length);
    for (int i = 0; i < want.get(out).length; i++) {
      assertEquals(want.get(out)[i], got.get(out)[i], 1e-4, out + "[" + i + "]");
    }
  }
}
