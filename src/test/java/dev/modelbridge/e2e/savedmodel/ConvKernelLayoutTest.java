package dev.modelbridge.e2e.savedmodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.build.GraphBuilder;
import dev.modelbridge.build.Tensors;
import dev.modelbridge.e2e.support.OrtRunner;
import dev.modelbridge.e2e.support.ReferenceData;
import dev.modelbridge.e2e.support.TensorComparator;
import dev.modelbridge.e2e.support.TensorValue;
import dev.modelbridge.format.WriteOptions;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Type;
import dev.modelbridge.tensorflow.bundle.TensorBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;

/**
 * Convolution kernels stored in TensorFlow's layout (issue 5, "NHWC kernels"): a kernel only
 * convolutions read is saved HWIO ({@code [kh, kw, C, m]} depthwise) and read without a Transpose;
 * one that another node reads too keeps the ONNX layout. TensorFlow runs the result as ONNX
 * Runtime runs the original, and the SavedModel converts back to an ONNX model ONNX Runtime agrees with.
 */
class ConvKernelLayoutTest {

  /**
   * Conv (k1), depthwise Conv (k2), a kernel (k5) shared by a depthwise and a dilated grouped Conv,
   * a 1x1 Conv kernel (k4) that a ReduceSum reads too, ConvTranspose (k3), and a 1-D Conv (k6).
   */
  static Model model() {
    GraphBuilder g = GraphBuilder.named("kernels");
    String x = g.input("x", Type.tensor(ElementType.FLOAT, 1, 4, 8, 8));
    String z = g.input("z", Type.tensor(ElementType.FLOAT, 1, 4, 10));
    String k1 = g.initializer(Tensors.randomFloats("k1", 1, 6, 4, 3, 3));
    String k2 = g.initializer(Tensors.randomFloats("k2", 2, 6, 1, 3, 3));
    String k5 = g.initializer(Tensors.randomFloats("k5", 5, 6, 1, 3, 3));
    String k4 = g.initializer(Tensors.randomFloats("k4", 4, 6, 6, 1, 1));
    String k3 = g.initializer(Tensors.randomFloats("k3", 3, 6, 3, 2, 2));
    String k6 = g.initializer(Tensors.randomFloats("k6", 6, 5, 4, 3));
    String c1 = g.op("Conv").inputs(x, k1).ints("pads", 1, 1, 1, 1).output();
    String d = g.op("Conv").inputs(c1, k2).attr("group", 6L).ints("pads", 1, 1, 1, 1).output();
    String s1 = g.op("Conv").inputs(d, k5).attr("group", 6L).ints("pads", 1, 1, 1, 1).output();
    String s2 = g.op("Conv").inputs(d, k5).attr("group", 6L).ints("dilations", 2, 2).ints("pads", 2, 2, 2, 2).output();
    String a = g.op("Add").inputs(s1, s2).output();
    String e = g.op("Conv").inputs(a, k4).output();
    String sum = g.op("ReduceSum").inputs(k4).attr("keepdims", 1L).output();
    String f = g.op("Add").inputs(e, sum).output();
    String y = g.op("ConvTranspose").inputs(f, k3).ints("strides", 2, 2).output("y");
    String y1 = g.op("Conv").inputs(z, k6).output("y1");
    g.output(y, Type.tensor(ElementType.FLOAT, 1, 3, 16, 16));
    g.output(y1, Type.tensor(ElementType.FLOAT, 1, 5, 8));
    return GraphBuilder.model(g.build(), 17);
  }

  @Test
  void kernelsAreStoredInTensorFlowLayout(@TempDir Path tmp) throws Exception {
    Path onnx = tmp.resolve("kernels.onnx");
    OnnxToSavedModelTest.write(model(), "onnx", onnx, WriteOptions.defaults());
    Path saved = tmp.resolve("kernels");
    OnnxToSavedModelTest.write(model(), "savedmodel", saved, WriteOptions.defaults());

    TensorBundle bundle = TensorBundle.open(saved.resolve("variables"));
    Map<String, long[]> dims = new HashMap<>();
    for (String key : bundle.keys()) {
      dims.put(key, bundle.tensor(key, key).dims());
    }
    assertArrayEquals(new long[] {3, 3, 4, 6}, dims.get("k1"), "HWIO");
    assertArrayEquals(new long[] {3, 3, 6, 1}, dims.get("k2"), "depthwise [kh, kw, C, m]");
    assertArrayEquals(new long[] {3, 3, 6, 1}, dims.get("k5"), "the first reader's layout");
    assertArrayEquals(new long[] {6, 6, 1, 1}, dims.get("k4"), "read by ReduceSum too: ONNX layout");
    assertArrayEquals(new long[] {2, 2, 3, 6}, dims.get("k3"), "[kh, kw, Cout, Cin]");
    assertArrayEquals(new long[] {1, 3, 4, 5}, dims.get("k6"), "1-D as [1, k, C, O]");

    GraphDef graph = SavedModel.parseFrom(Files.readAllBytes(saved.resolve("saved_model.pb"))).getMetaGraphs(0).getGraphDef();
    for (String k : List.of("k1", "k2", "k3", "k6")) {
      for (NodeDef n : graph.getNodeList()) {
        if (n.getOp().equals("Transpose")) {
          String from = n.getInput(0).replaceFirst(":\\d+$", "");
          assertTrue(!from.startsWith(k + "/Read"), "a Transpose reads " + k);
        }
      }
    }
    assertTrue(graph.getNodeList().stream().anyMatch(n -> n.getOp().equals("Transpose")
        && n.getInput(0).startsWith("k4/Read")), "the ONNX-layout kernel k4 is transposed in the graph");

    List<ReferenceData.Value> inputs = List.of(new ReferenceData.Value("x", OnnxToSavedModelTest.randomFloats(8, 1, 4, 8, 8)),
        new ReferenceData.Value("z", OnnxToSavedModelTest.randomFloats(9, 1, 4, 10)));
    double diff = OnnxToSavedModelTest.compareWithOrt(onnx, saved, inputs);

    // Back to ONNX through our SavedModel reader: the stored layouts read back as ONNX kernels.
    Path back = tmp.resolve("back.onnx");
    dev.modelbridge.api.ModelBridge.create().convert(saved).to("onnx").writeTo(back);
    try (OrtRunner ort = new OrtRunner()) {
      OrtRunner.Execution want = ort.execute(onnx, inputs);
      OrtRunner.Execution got = ort.execute(back, inputs);
      assertTrue(got.refusal().isEmpty(), () -> got.refusal().toString());
      for (Map.Entry<String, TensorValue> o : want.outputs().entrySet()) {
        TensorValue t = got.outputs().get(o.getKey());
        assertTrue(t != null, "no output " + o.getKey());
        Optional<TensorComparator.Mismatch> m = TensorComparator.compare(o.getKey(), o.getValue(), t);
        assertTrue(m.isEmpty(), () -> m.get().message());
      }
    }
    assertEquals(6, dims.size());
    System.out.printf("conv kernels in TF layout: max abs diff TensorFlow vs ONNX Runtime %.3g%n", diff);
  }
}
