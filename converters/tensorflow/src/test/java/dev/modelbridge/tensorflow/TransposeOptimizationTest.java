package dev.modelbridge.tensorflow;

import static dev.modelbridge.tensorflow.TinyGraphs.floats;
import static dev.modelbridge.tensorflow.TinyGraphs.ints;
import static dev.modelbridge.tensorflow.TinyGraphs.op;
import static dev.modelbridge.tensorflow.TinyGraphs.placeholder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tensorflow.proto.DataType.DT_FLOAT;

import dev.modelbridge.api.ModelBridge;
import dev.modelbridge.format.ReadOptions;
import dev.modelbridge.ir.Model;
import dev.modelbridge.tensorflow.TfVsOrt.Feed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.GraphDef;

/**
 * The transpose optimisation on a small NHWC CNN written as a GraphDef (Conv2D, BiasAdd, Relu,
 * MaxPool, Pad, FusedBatchNormV3, a residual AddV2, a channel ConcatV2, depthwise convolution, AvgPool): at most one Transpose
 * at the input and one at the output, none at the input with {@code inputsAsNchw}, and TensorFlow's
 * results either way.
 */
class TransposeOptimizationTest {
  @TempDir
  Path dir;

  static GraphDef cnn() {
    return GraphDef.newBuilder().addAllNode(List.of(
        placeholder("x", 1, 8, 8, 3),
        floats("k1", new long[] {3, 3, 3, 4}, 0.1f, -0.2f, 0.3f, 0.05f, -0.15f),
        op("c1", "Conv2D", List.of("x", "k1"), "T", DT_FLOAT, "strides", ints(1, 1, 1, 1), "padding", "SAME"),
        floats("b1", new long[] {4}, 0.1f, -0.2f, 0.3f, 0.0f),
        op("ba1", "BiasAdd", List.of("c1", "b1"), "T", DT_FLOAT),
        op("r1", "Relu", List.of("ba1"), "T", DT_FLOAT),
        op("p1", "MaxPool", List.of("r1"), "T", DT_FLOAT, "ksize", ints(1, 2, 2, 1), "strides", ints(1, 2, 2, 1),
            "padding", "VALID"),
        floats("k2", new long[] {3, 3, 4, 4}, 0.05f, -0.1f, 0.2f),
        TinyGraphs.int32s("zp", new long[] {4, 2}, 0, 0, 1, 1, 1, 1, 0, 0),
        op("padded", "Pad", List.of("p1", "zp"), "T", DT_FLOAT, "Tpaddings", org.tensorflow.proto.DataType.DT_INT32),
        op("c2", "Conv2D", List.of("padded", "k2"), "T", DT_FLOAT, "strides", ints(1, 1, 1, 1), "padding", "VALID"),
        floats("scale", new long[] {4}, 1.0f, 0.5f, 2.0f, 1.5f), floats("offset", new long[] {4}, 0.0f, 0.1f, -0.1f, 0.2f),
        floats("mean", new long[] {4}, 0.1f, 0.0f, 0.2f, -0.1f), floats("var", new long[] {4}, 1.0f, 2.0f, 0.5f, 1.0f),
        op("bn", "FusedBatchNormV3", List.of("c2", "scale", "offset", "mean", "var"), "T", DT_FLOAT, "U", DT_FLOAT,
            "is_training", false, "epsilon", 0.001f),
        op("r2", "Relu6", List.of("bn"), "T", DT_FLOAT),
        op("res", "AddV2", List.of("r2", "p1"), "T", DT_FLOAT),
        TinyGraphs.int32("channels", 3),
        op("cat", "ConcatV2", List.of("res", "p1", "channels"), "T", DT_FLOAT, "N", 2,
            "Tidx", org.tensorflow.proto.DataType.DT_INT32),
        floats("dk", new long[] {3, 3, 8, 1}, 0.2f, -0.1f, 0.1f),
        op("dw", "DepthwiseConv2dNative", List.of("cat", "dk"), "T", DT_FLOAT, "strides", ints(1, 1, 1, 1),
            "padding", "SAME"),
        op("y", "AvgPool", List.of("dw"), "T", DT_FLOAT, "ksize", ints(1, 2, 2, 1), "strides", ints(1, 2, 2, 1),
            "padding", "VALID"),
        // A classifier head: GlobalAveragePooling2D (Mean over H and W), then Dense.
        TinyGraphs.int32s("hw", new long[] {2}, 1, 2),
        op("gap", "Mean", List.of("dw", "hw"), "T", DT_FLOAT, "Tidx", org.tensorflow.proto.DataType.DT_INT32,
            "keep_dims", false),
        floats("dense", new long[] {8, 3}, 0.3f, -0.2f, 0.1f, 0.4f),
        op("logits", "MatMul", List.of("gap", "dense"), "T", DT_FLOAT))).build();
  }

  @Test
  void globalPoolingHeadLeavesOnlyTheInputTranspose() throws Exception {
    Model m = TfVsOrt.check(dir, cnn(), List.of(Feed.floats("x", 1, 8, 8, 3)), "logits");
    assertEquals(1, TfVsOrt.count(m, "Transpose"));
    Path pb = dir.resolve("g.pb");
    Model nchw = new GraphDefFormat().read(pb,
        ReadOptions.defaults().with(ReadOptions.OUTPUTS, "logits").with("inputsAsNchw", "x"));
    assertEquals(0, TfVsOrt.count(nchw, "Transpose"));
  }

  @Test
  void nhwcCnnKeepsOneTransposeAtTheInputAndOneAtTheOutput() throws Exception {
    GraphDef g = cnn();
    Model raw = TfVsOrt.check(dir, g, ReadOptions.defaults().with("optimize", "false"),
        List.of(Feed.floats("x", 1, 8, 8, 3)), "y");
    Model optimized = TfVsOrt.check(dir, g, List.of(Feed.floats("x", 1, 8, 8, 3)), "y");
    long before = TfVsOrt.count(raw, "Transpose");
    long after = TfVsOrt.count(optimized, "Transpose");
    System.out.printf("small NHWC CNN: %d Transposes before the pass, %d after%n", before, after);
    assertTrue(before >= 10, "before: " + before);
    assertEquals(2, after);
  }

  @Test
  void inputsAsNchwLeavesNoInputTranspose() throws Exception {
    GraphDef g = cnn();
    Path pb = dir.resolve("g.pb");
    Files.write(pb, g.toByteArray());
    ReadOptions o = ReadOptions.defaults().with(ReadOptions.OUTPUTS, "y").with("inputsAsNchw", "x");
    Model m = new GraphDefFormat().read(pb, o);
    assertEquals(1, TfVsOrt.count(m, "Transpose"));
    assertTrue(m.graph().nodes().stream().filter(n -> n.opType().equals("Transpose"))
        .noneMatch(n -> n.inputs().contains("x")), "no Transpose reads the input");
    Path onnx = dir.resolve("nchw.onnx");
    ModelBridge.create().convert(pb).readOptions(o).to("onnx").overwrite(true).writeTo(onnx);
    Feed nhwc = Feed.floats("x", 1, 8, 8, 3);
    float[] v = (float[]) nhwc.values();
    float[] t = new float[v.length];
    for (int h = 0; h < 8; h++) {
      for (int w = 0; w < 8; w++) {
        for (int c = 0; c < 3; c++) {
          t[(c * 8 + h) * 8 + w] = v[(h * 8 + w) * 3 + c];
        }
      }
    }
    double[] want = TfVsOrt.runTf(g, List.of(nhwc), "y").get("y");
    Map<String, double[]> got = TfVsOrt.runOrt(onnx, List.of(new Feed("x", new long[] {1, 3, 8, 8}, t)), "y");
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got.get("y")[i], 1e-4, "y[" + i + "]");
    }
  }
}
