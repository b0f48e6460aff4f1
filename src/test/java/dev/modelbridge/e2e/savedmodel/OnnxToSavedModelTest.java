package dev.modelbridge.e2e.savedmodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.api.ModelBridge;
import dev.modelbridge.build.GraphBuilder;
import dev.modelbridge.build.Tensors;
import dev.modelbridge.e2e.support.OrtRunner;
import dev.modelbridge.e2e.support.ReferenceData;
import dev.modelbridge.e2e.support.TensorValue;
import dev.modelbridge.format.StagedOutput;
import dev.modelbridge.format.WriteOptions;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Shape;
import dev.modelbridge.ir.Type;
import dev.modelbridge.tensorflow.export.UnsupportedOnnxOpsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX to SavedModel: TensorFlow (through TensorFlow Java) loads and runs what we wrote, and its
 * outputs match those ONNX Runtime computes for the original ONNX model.
 */
class OnnxToSavedModelTest {
  static final Path TINY_CNN = Path.of(System.getProperty("modelbridge.root", "../.."), "examples/models/tiny-cnn.onnx");
  static final double TOLERANCE = 1e-4;

  @Test
  void tinyCnnRunsInTensorFlowAsInOnnxRuntime(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("tiny-cnn");
    ModelBridge.create().convert(TINY_CNN).to("savedmodel").writeTo(out);
    assertTrue(Files.size(out.resolve("variables/variables.data-00000-of-00001")) > 4000, "weights are variables");
    List<ReferenceData.Value> inputs = List.of(new ReferenceData.Value("image", randomFloats(7, 2, 3, 32, 32)));
    double diff = compareWithOrt(TINY_CNN, out, inputs);
    System.out.printf("tiny-cnn: max abs diff TensorFlow vs ONNX Runtime %.3g%n", diff);
  }

  @Test
  void mlpWithWeightsAsVariablesOrConstants(@TempDir Path tmp) throws Exception {
    Model mlp = mlp();
    Path onnx = tmp.resolve("mlp.onnx");
    write(mlp, "onnx", onnx, WriteOptions.defaults());
    List<ReferenceData.Value> inputs = List.of(new ReferenceData.Value("x", randomFloats(3, 5, 64)));

    Path vars = tmp.resolve("mlp-vars");
    write(mlp, "savedmodel", vars, WriteOptions.defaults());
    double d1 = compareWithOrt(onnx, vars, inputs);

    Path consts = tmp.resolve("mlp-consts");
    write(mlp, "savedmodel", consts, WriteOptions.defaults().withWeightsAsConstants(true));
    assertFalse(Files.exists(consts.resolve("variables/variables.index")), "no checkpoint with constants");
    double d2 = compareWithOrt(onnx, consts, inputs);
    System.out.printf("MLP: max abs diff TensorFlow vs ONNX Runtime %.3g (variables), %.3g (constants)%n", d1, d2);
  }

  @Test
  void unsupportedOpsAreListedTogether(@TempDir Path tmp) {
    GraphBuilder g = GraphBuilder.named("bad");
    String x = g.input("x", Type.tensor(ElementType.FLOAT, 2, 2));
    String a = g.op("ImageDecoder").name("det1").inputs(x).output();
    String b = g.op("Relu").inputs(a).output();
    String c = g.op("ImageDecoder").name("det2").inputs(b).output();
    g.output(g.op("Momentum").name("hm").inputs(c).output("y"), Type.tensor(ElementType.FLOAT, 2, 2));
    Path out = tmp.resolve("bad");
    UnsupportedOnnxOpsException e = assertThrows(UnsupportedOnnxOpsException.class,
        () -> write(GraphBuilder.model(g.build(), 17), "savedmodel", out, WriteOptions.defaults()));
    assertEquals(Map.of("ImageDecoder", List.of("det1 (ImageDecoder)", "det2 (ImageDecoder)"),
        "Momentum", List.of("hm (Momentum)")).keySet(),
        e.unsupportedOps().keySet(), e.getMessage());
    assertTrue(e.getMessage().contains("det2"), e.getMessage());
    assertFalse(Files.exists(out), "no partial output");
  }

  /** Dense 64 -> 32 (Gemm, transB) -> Relu -> 32 -> 10 (MatMul + Add) -> Softmax, batch symbolic. */
  static Model mlp() {
    GraphBuilder g = GraphBuilder.named("mlp");
    String x = g.input("x", Type.tensor(ElementType.FLOAT, Shape.ofMixed("batch", 64)));
    String w1 = g.initializer(Tensors.randomFloats("dense1/kernel", 1, 32, 64));
    String b1 = g.initializer(Tensors.randomFloats("dense1/bias", 2, 32));
    String w2 = g.initializer(Tensors.randomFloats("dense2/kernel", 3, 32, 10));
    String b2 = g.initializer(Tensors.randomFloats("dense2/bias", 4, 10));
    String h = g.op("Gemm").inputs(x, w1, b1).attr("transB", 1L).output();
    h = g.op("Relu").inputs(h).output();
    h = g.op("MatMul").inputs(h, w2).output();
    h = g.op("Add").inputs(h, b2).output();
    String y = g.op("Softmax").inputs(h).attr("axis", -1L).output("probabilities");
    g.output(y, Type.tensor(ElementType.FLOAT, Shape.ofMixed("batch", 10)));
    return GraphBuilder.model(g.build(), 17);
  }

  static void write(Model m, String format, Path out, WriteOptions options) throws Exception {
    try (StagedOutput staged = new StagedOutput(out, false)) {
      ModelBridge.create().formats().byId(format).write(m, staged, options);
      staged.commit();
    }
  }

  /** Runs both, asserts every output agrees within {@link #TOLERANCE}; returns the largest difference. */
  static double compareWithOrt(Path onnx, Path savedModel, List<ReferenceData.Value> inputs) throws Exception {
    Map<String, TensorValue> expected;
    try (OrtRunner ort = new OrtRunner()) {
      OrtRunner.Execution e = ort.execute(onnx, inputs);
      assertTrue(e.refusal().isEmpty(), () -> e.refusal().toString());
      expected = e.outputs();
    }
    Map<String, TensorValue> actual = SavedModelRunner.run(savedModel, inputs);
    assertEquals(expected.keySet(), actual.keySet());
    double max = 0;
    for (String k : expected.keySet()) {
      TensorValue want = expected.get(k);
      TensorValue got = actual.get(k);
      assertArrayEquals(want.shape(), got.shape(), k);
      for (long i = 0; i < want.size(); i++) {
        double d = Math.abs(want.getDouble(i) - got.getDouble(i));
        max = Math.max(max, d);
        assertTrue(d <= TOLERANCE, k + "[" + i + "]: " + got.getDouble(i) + " vs " + want.getDouble(i));
      }
    }
    return max;
  }

  static TensorValue randomFloats(long seed, long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    float[] v = new float[(int) n];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextDouble(-1, 1);
    }
    return TensorValue.ofFloats(shape, v);
  }
}
