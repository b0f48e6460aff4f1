package dev.modelbridge.tensorflow.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/** The layout pass on tiny graphs: what it removes, and where the data flows afterwards. */
class TransposePassTest {

  @Test
  void pairAroundReluCancels() {
    TfGraph g = new TfGraph();
    TfRef x = g.op("Placeholder", "x").attr("dtype", DataType.DT_FLOAT).attr("shape", TfGraph.shape(new long[] {1, 3, 4, 4}))
        .output(DataType.DT_FLOAT);
    TfRef nhwc = transpose(g, x, 0, 2, 3, 1);
    TfRef pooled = g.op("MaxPool", "pool").input(nhwc).attr("T", DataType.DT_FLOAT).output(DataType.DT_FLOAT);
    TfRef nchw = transpose(g, pooled, 0, 3, 1, 2);
    TfRef relu = g.op("Relu", "relu").input(nchw).attr("T", DataType.DT_FLOAT).output(DataType.DT_FLOAT);
    TfRef again = transpose(g, relu, 0, 2, 3, 1);
    TfRef pooled2 = g.op("MaxPool", "pool2").input(again).attr("T", DataType.DT_FLOAT).output(DataType.DT_FLOAT);
    TfRef out = transpose(g, pooled2, 0, 3, 1, 2);
    g.op("Identity", "y").input(out).attr("T", DataType.DT_FLOAT).output(DataType.DT_FLOAT);

    GraphDef opt = TransposePass.optimize(g.build(), Map.of(), Set.of("x", "y"));
    assertEquals(2, count(opt, "Transpose"), opt.toString());
    assertEquals("relu", input(opt, "pool2"));
    assertEquals("pool", input(opt, "relu"));
  }

  @Test
  void channelBiasIsReshapedIntoTheNewLayout() {
    TfGraph g = new TfGraph();
    TfRef x = g.op("Placeholder", "x").attr("dtype", DataType.DT_FLOAT).attr("shape", TfGraph.shape(new long[] {1, 4, 4, 3}))
        .output(DataType.DT_FLOAT);
    TfRef nchw = transpose(g, x, 0, 3, 1, 2);
    ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(1).putFloat(2).putFloat(3).flip();
    TfRef bias = g.constant("bias", DataType.DT_FLOAT, new long[] {3, 1, 1}, b);
    TfRef add = g.op("AddV2", "add").input(nchw).input(bias).attr("T", DataType.DT_FLOAT).output(DataType.DT_FLOAT);
    TfRef back = transpose(g, add, 0, 2, 3, 1);
    g.op("Identity", "y").input(back).attr("T", DataType.DT_FLOAT).output(DataType.DT_FLOAT);

    GraphDef opt = TransposePass.optimize(g.build(), Map.of(), Set.of("x", "y"));
    assertEquals(0, count(opt, "Transpose"), opt.toString());
    assertEquals("add", input(opt, "y"));
    assertEquals("x", input(opt, "add"));
    assertEquals(1, count(opt, "Reshape"), "the [3,1,1] bias becomes [1,1,1,3] by a Reshape");
  }

  /**
   * A channel shuffle between NHWC ops (NCHW Transpose, split Reshape, 5-D Transpose, merge
   * Reshape, NHWC Transpose) keeps one 5-D Transpose; TensorFlow computes the same before and after.
   */
  @Test
  void channelShuffleKeepsOneTranspose() {
    TfGraph g = new TfGraph();
    TfRef x = g.op("Placeholder", "x").attr("dtype", DataType.DT_FLOAT).attr("shape", TfGraph.shape(new long[] {1, 2, 3, 6}))
        .output(DataType.DT_FLOAT);
    TfRef relu = g.op("Relu", "relu").input(x).attr("T", DataType.DT_FLOAT).output(DataType.DT_FLOAT);
    TfRef nchw = transpose(g, relu, 0, 3, 1, 2);
    TfRef split = reshape(g, nchw, 1, 2, 3, 2, 3);
    TfRef shuffled = transpose(g, split, 0, 2, 1, 3, 4);
    TfRef merged = reshape(g, shuffled, 1, 6, 2, 3);
    TfRef nhwc = transpose(g, merged, 0, 2, 3, 1);
    TfRef pooled = g.op("MaxPool", "pool").input(nhwc).attr("T", DataType.DT_FLOAT).ints("ksize", 1, 1, 1, 1)
        .ints("strides", 1, 1, 1, 1).attr("padding", "VALID").attr("data_format", "NHWC").output(DataType.DT_FLOAT);
    g.op("Identity", "y").input(pooled).attr("T", DataType.DT_FLOAT).output(DataType.DT_FLOAT);
    GraphDef before = g.build();

    GraphDef opt = TransposePass.optimize(before, Map.of("x:0", new long[] {1, 2, 3, 6}), Set.of("x", "y"));
    assertEquals(1, count(opt, "Transpose"), opt.toString());
    float[] in = new float[36];
    for (int i = 0; i < in.length; i++) {
      in[i] = i - 5;
    }
    org.junit.jupiter.api.Assertions.assertArrayEquals(runTf(before, in, 1, 2, 3, 6), runTf(opt, in, 1, 2, 3, 6));
  }

  /** Flattening a pooled [N, C, 1, 1] keeps the element order of NHWC [N, 1, 1, C]: no Transpose remains. */
  @Test
  void flattenAfterGlobalPoolNeedsNoTranspose() {
    TfGraph g = new TfGraph();
    TfRef x = g.op("Placeholder", "x").attr("dtype", DataType.DT_FLOAT).attr("shape", TfGraph.shape(new long[] {1, 1, 1, 6}))
        .output(DataType.DT_FLOAT);
    TfRef relu = g.op("Relu", "relu").input(x).attr("T", DataType.DT_FLOAT).output(DataType.DT_FLOAT);
    TfRef flat = reshape(g, transpose(g, relu, 0, 3, 1, 2), 1, 6);
    g.op("Identity", "y").input(flat).attr("T", DataType.DT_FLOAT).output(DataType.DT_FLOAT);
    GraphDef before = g.build();

    GraphDef opt = TransposePass.optimize(before, Map.of("x:0", new long[] {1, 1, 1, 6}), Set.of("x", "y"));
    assertEquals(0, count(opt, "Transpose"), opt.toString());
    float[] in = {3, -1, 4, -1, 5, -9};
    org.junit.jupiter.api.Assertions.assertArrayEquals(runTf(before, in, 1, 1, 1, 6), runTf(opt, in, 1, 1, 1, 6));
  }

  private static TfRef reshape(TfGraph g, TfRef x, long... shape) {
    return g.op("Reshape", "r").input(x).input(g.int64s("shape", shape)).attr("T", x.dtype())
        .attr("Tshape", DataType.DT_INT64).output(x.dtype());
  }

  /** Runs {@code def} in TensorFlow Java, feeding {@code x} of {@code shape}, fetching {@code y}. */
  private static float[] runTf(GraphDef def, float[] x, long... shape) {
    try (org.tensorflow.Graph graph = new org.tensorflow.Graph(); org.tensorflow.Session s = new org.tensorflow.Session(graph);
        org.tensorflow.types.TFloat32 in = org.tensorflow.types.TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(shape),
            org.tensorflow.ndarray.buffer.DataBuffers.of(x, true, false))) {
      graph.importGraphDef(def);
      try (org.tensorflow.Result r = s.runner().feed("x", in).fetch("y").run()) {
        org.tensorflow.ndarray.buffer.ByteDataBuffer data = r.get(0).asRawTensor().data();
        byte[] bytes = new byte[(int) data.size()];
        data.read(bytes);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[bytes.length / 4];
        b.asFloatBuffer().get(out);
        return out;
      }
    }
  }

  private static TfRef transpose(TfGraph g, TfRef x, long... perm) {
    return g.op("Transpose", "t").input(x).input(g.int32s("perm", perm)).attr("T", x.dtype())
        .attr("Tperm", DataType.DT_INT32).output(x.dtype());
  }

  private static long count(GraphDef g, String op) {
    return g.getNodeList().stream().filter(n -> n.getOp().equals(op)).count();
  }

  private static String input(GraphDef g, String node) {
    return g.getNodeList().stream().filter(n -> n.getName().equals(node)).map(n -> n.getInput(0)).findFirst().orElseThrow();
  }
}
