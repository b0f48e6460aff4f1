package dev.modelbridge.e2e.savedmodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.api.ModelBridge;
import dev.modelbridge.e2e.support.BackendCase;
import dev.modelbridge.e2e.support.OrtRunner;
import dev.modelbridge.e2e.support.ReferenceData;
import dev.modelbridge.e2e.support.TensorComparator;
import dev.modelbridge.e2e.support.TensorValue;
import dev.modelbridge.schemas.onnx.ModelProto;
import dev.modelbridge.schemas.onnx.NodeProto;
import dev.modelbridge.schemas.onnx.TensorProto;
import dev.modelbridge.tensorflow.export.SavedModelWriter;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The layout pass of the SavedModel writer: Transposes before and after it, NHWC signatures, and
 * CNNs with random weights (where a wrong layout cannot hide behind constant weights) compared
 * with ONNX Runtime.
 */
class LayoutSavedModelTest {

  @Test
  void tinyCnnKeepsOneTransposePerEndAndMatchesOnnxRuntime(@TempDir Path tmp) throws Exception {
    Path plain = tmp.resolve("plain");
    ModelBridge.create().convert(OnnxToSavedModelTest.TINY_CNN).to("savedmodel")
        .writeOption(SavedModelWriter.OPTIMIZE, "false").writeTo(plain);
    Path optimized = tmp.resolve("optimized");
    ModelBridge.create().convert(OnnxToSavedModelTest.TINY_CNN).to("savedmodel").writeTo(optimized);
    long before = ZooCnnSavedModelTest.transposeCount(plain);
    long after = ZooCnnSavedModelTest.transposeCount(optimized);
    List<ReferenceData.Value> inputs = List.of(new ReferenceData.Value("image", OnnxToSavedModelTest.randomFloats(7, 2, 3, 32, 32)));
    double diff = OnnxToSavedModelTest.compareWithOrt(OnnxToSavedModelTest.TINY_CNN, optimized, inputs);
    System.out.printf(Locale.ROOT, "tiny-cnn: %d Transpose nodes without the layout pass, %d with it; max abs diff vs ONNX Runtime %.3g%n",
        before, after, diff);
    assertTrue(after < before, after + " vs " + before);
  }

  @Test
  void nhwcSignatureTakesAndGivesNhwc(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("nhwc");
    ModelBridge.create().convert(OnnxToSavedModelTest.TINY_CNN).to("savedmodel")
        .writeOption(SavedModelWriter.INPUTS_AS_NHWC, "image").writeTo(out);
    TensorValue nchw = OnnxToSavedModelTest.randomFloats(7, 2, 3, 32, 32);
    Map<String, TensorValue> expected;
    try (OrtRunner ort = new OrtRunner()) {
      expected = ort.execute(OnnxToSavedModelTest.TINY_CNN, List.of(new ReferenceData.Value("image", nchw))).outputs();
    }
    Map<String, TensorValue> got = SavedModelRunner.run(out, List.of(new ReferenceData.Value("image", toNhwc(nchw))));
    for (String k : expected.keySet()) {
      Optional<TensorComparator.Mismatch> m = TensorComparator.compare(k, expected.get(k), got.get(k));
      assertTrue(m.isEmpty(), () -> m.get().message());
    }
    long transposes = ZooCnnSavedModelTest.transposeCount(out);
    System.out.printf(Locale.ROOT, "tiny-cnn with an NHWC input: %d Transpose nodes%n", transposes);
  }

  /** Light CNNs whose ConstantOfShape weights are replaced by random ones, against ONNX Runtime. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"light_squeezenet", "light_inception_v1", "light_densenet121", "light_shufflenet"})
  void randomWeightCnnMatchesOnnxRuntime(String name, @TempDir Path tmp) throws Exception {
    BackendCase c = ZooCnnSavedModelTest.lightCase(name);
    Path model = randomized(c.model(), tmp.resolve(name + ".onnx"));
    Path out = tmp.resolve(name);
    ModelBridge.create().convert(model).to("savedmodel").writeTo(out);
    List<ReferenceData.Value> inputs = ReferenceData.load(c).inputs();
    Map<String, TensorValue> expected;
    try (OrtRunner ort = new OrtRunner()) {
      OrtRunner.Execution e = ort.execute(model, inputs);
      assertTrue(e.refusal().isEmpty(), () -> e.refusal().toString());
      expected = e.outputs();
    }
    Map<String, TensorValue> got = SavedModelRunner.run(out, inputs);
    double max = 0;
    for (String k : expected.keySet()) {
      Optional<TensorComparator.Mismatch> m = TensorComparator.compare(k, expected.get(k), got.get(k));
      assertTrue(m.isEmpty(), () -> m.get().message());
      for (long i = 0; i < expected.get(k).size(); i++) {
        max = Math.max(max, Math.abs(expected.get(k).getDouble(i) - got.get(k).getDouble(i)));
      }
    }
    System.out.printf(Locale.ROOT, "%s with random weights: max abs diff TensorFlow vs ONNX Runtime %.3g, %d Transpose nodes%n",
        name, max, ZooCnnSavedModelTest.transposeCount(out));
  }

  /**
   * A copy of the model with every float ConstantOfShape of a constant shape replaced by an
   * initializer of random values, scaled by 1/sqrt(fan-in) so activations stay of order 1.
   */
  static Path randomized(Path model, Path out) throws Exception {
    ModelProto.Builder m;
    try (InputStream in = Files.newInputStream(model)) {
      m = ModelProto.parseFrom(in).toBuilder();
    }
    m.setIrVersion(Math.max(m.getIrVersion(), 4)); // initializers that are not graph inputs
    var g = m.getGraphBuilder();
    Map<String, long[]> shapes = new HashMap<>();
    for (TensorProto t : g.getInitializerList()) {
      if (t.getDataType() == TensorProto.DataType.INT64_VALUE) {
        shapes.put(t.getName(), t.getInt64DataList().isEmpty()
            ? readInt64s(t.getRawData().asReadOnlyByteBuffer()) : t.getInt64DataList().stream().mapToLong(Long::longValue).toArray());
      }
    }
    SplittableRandom r = new SplittableRandom(11);
    for (int i = g.getNodeCount() - 1; i >= 0; i--) {
      NodeProto n = g.getNode(i);
      long[] shape = n.getOpType().equals("ConstantOfShape") ? shapes.get(n.getInput(0)) : null;
      if (shape == null) {
        continue;
      }
      long count = 1;
      for (long d : shape) {
        count *= d;
      }
      long fanIn = shape.length > 1 ? count / shape[0] : 1;
      double scale = shape.length > 1 ? Math.sqrt(3.0 / fanIn) : 0.1;
      ByteBuffer b = ByteBuffer.allocate((int) count * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (long k = 0; k < count; k++) {
        // Scale-like 1-D parameters (BN variance) stay positive: 1 +- 0.1.
        b.putFloat((float) (shape.length > 1 ? r.nextDouble(-scale, scale) : 1 + r.nextDouble(-scale, scale)));
      }
      TensorProto.Builder t = TensorProto.newBuilder().setName(n.getOutput(0)).setDataType(TensorProto.DataType.FLOAT_VALUE)
          .setRawData(com.google.protobuf.ByteString.copyFrom(b.flip()));
      for (long d : shape) {
        t.addDims(d);
      }
      g.addInitializer(t);
      g.removeNode(i);
    }
    Files.write(out, m.build().toByteArray());
    return out;
  }

  private static long[] readInt64s(ByteBuffer b) {
    b.order(ByteOrder.LITTLE_ENDIAN);
    long[] v = new long[b.remaining() / 8];
    for (int i = 0; i < v.length; i++) {
      v[i] = b.getLong();
    }
    return v;
  }

  /** NCHW values laid out as NHWC. */
  static TensorValue toNhwc(TensorValue x) {
    long[] s = x.shape();
    assertEquals(4, s.length);
    float[] out = new float[(int) x.size()];
    int n = (int) s[0], ch = (int) s[1], h = (int) s[2], w = (int) s[3];
    for (int a = 0; a < n; a++) {
      for (int c = 0; c < ch; c++) {
        for (int y = 0; y < h; y++) {
          for (int z = 0; z < w; z++) {
            out[((a * h + y) * w + z) * ch + c] = (float) x.getDouble(((a * ch + c) * h + y) * w + z);
          }
        }
      }
    }
    long[] nhwc = {s[0], s[2], s[3], s[1]};
    assertArrayEquals(new long[] {n, h, w, ch}, nhwc);
    return TensorValue.ofFloats(nhwc, out);
  }
}
