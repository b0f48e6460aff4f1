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
