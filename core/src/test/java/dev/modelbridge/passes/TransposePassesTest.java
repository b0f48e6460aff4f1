package dev.modelbridge.passes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.Type;
import dev.modelbridge.ir.ValueInfo;
import java.nio.FloatBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each transpose pass on a tiny graph, and the manager on an NHWC conv chain. */
class TransposePassesTest {
  private static final long[] TO_NCHW = {0, 3, 1, 2};
  private static final long[] TO_NHWC = {0, 2, 3, 1};

  private static Node t(String in, String out, long... perm) {
    return Node.builder("Transpose").name(out).inputs(in).outputs(out).attribute(Attribute.ints("perm", perm)).build();
  }

  private static Node op(String type, String out, String... in) {
    return Node.builder(type).name(out).inputs(in).outputs(out).build();
  }

  private static Graph graph(List<Tensor> inits, Node... nodes) {
    Graph.Builder b = Graph.builder("g").input(ValueInfo.of("x", Type.tensor(ElementType.FLOAT, 1, 4, 4, 2)))
        .output(ValueInfo.untyped("y"));
    for (Node n : nodes) {
      b.node(n);
    }
    inits.forEach(b::initializer);
    return b.build();
  }

  private static List<String> ops(Graph g) {
    return g.nodes().stream().map(Node::opType).toList();
  }

  @Test
  void cancellingPairsVanishAndOthersCompose() {
    Graph g = graph(List.of(), t("x", "a", TO_NCHW), t("a", "b", TO_NHWC), op("Relu", "y", "b"));
    Graph out = new PassManager(List.of(new FoldTransposePairs(), new RemoveDeadNodes())).run(g);
    assertEquals(List.of("Relu"), ops(out));
    assertEquals(List.of("x"), out.nodes().get(0).inputs());

    Graph g2 = graph(List.of(), t("x", "a", TO_NCHW), t("a", "y", TO_NCHW));
    Graph out2 = new PassManager(List.of(new FoldTransposePairs(), new RemoveDeadNodes())).run(g2);
    assertEquals(List.of("Transpose"), ops(out2));
    assertArrayEquals(new long[] {0, 2, 3, 1}, Rewrite.perm(out2.nodes().get(0)).orElseThrow());
    Graph plain = graph(List.of(), op("Relu", "y", "x"));
    assertSame(plain, new FoldTransposePairs().apply(plain));
  }

  @Test
  void graphOutputsKeepTheirNames() {
    Graph g = graph(List.of(), t("x", "a", TO_NCHW), t("a", "y", TO_NHWC));
    Graph out = new PassManager(List.of(new FoldTransposePairs(), new RemoveDeadNodes())).run(g);
    assertEquals(List.of("Identity"), ops(out));
    assertEquals(List.of("y"), out.nodes().get(0).outputs());
  }

  @Test
  void transposeMovesBelowUnaryAndBinaryOpsWithConstants() {
    Tensor bias = Tensor.ofFloats("bias", new long[] {4}, 1f, 2f, 3f, 4f);
    Graph g = graph(List.of(bias), t("x", "a", TO_NCHW), op("Relu", "r", "a"), op("Add", "y", "r", "bias"));
    Graph out = new PushTransposeDown().apply(new PushTransposeDown().apply(g));
    Graph clean = new RemoveDeadNodes().apply(out);
    assertEquals(List.of("Relu", "Add", "Transpose"), ops(clean));
    // The bias [4] ran along W of the NCHW value: on the NHWC input it runs along axis 2.
    Tensor moved = clean.initializers().get(0);
    assertArrayEquals(new long[] {1, 1, 4, 1}, moved.dims());
  }

  @Test
  void biasOnChannelsFirstSideIsTransposed() {
    // Transpose to NHWC, then add a per-channel bias [C]: pushed down, the bias becomes [1,C,1,1].
    Tensor bias = Tensor.ofFloats("bias", new long[] {2}, 1f, 2f);
    Graph g = graph(List.of(bias), t("x", "a", TO_NHWC), op("Add", "y", "a", "bias"));
    Graph out = new RemoveDeadNodes().apply(new PushTransposeDown().apply(g));
    assertEquals(List.of("Add", "Transpose"), ops(out));
    assertArrayEquals(new long[] {1, 2, 1, 1}, out.initializers().get(0).dims());
  }

  @Test
  void constantTransposesFold() {
    Tensor w = Tensor.ofFloats("w", new long[] {2, 3}, 1, 2, 3, 4, 5, 6);
    Graph g = graph(List.of(w), t("w", "wt", 1, 0), op("MatMul", "y", "x", "wt"));
    Graph out = new PassManager(List.of(new FoldConstantTranspose(), new RemoveDeadNodes())).run(g);
    assertEquals(List.of("MatMul"), ops(out));
    Tensor wt = out.initializer("wt").orElseThrow();
    assertArrayEquals(new long[] {3, 2}, wt.dims());
    FloatBuffer f = wt.data().bytes().asFloatBuffer();
    float[] v = new float[6];
    f.get(v);
    assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, v);
  }

  @Test
  void nhwcConvChainKeepsOneTransposeAtEachEnd() {
    Tensor k = Tensor.ofFloats("k", new long[] {1, 1, 2, 2}, 1, 0, 0, 1);
    Tensor bias = Tensor.ofFloats("bias", new long[] {2}, 1f, 2f);
    Graph g = graph(List.of(k, bias),
        t("x", "x1", TO_NCHW), t("k", "k1", 3, 2, 0, 1), op("Conv", "c", "x1", "k1"), t("c", "c1", TO_NHWC),
        op("Add", "ba", "c1", "bias"), op("Relu", "r", "ba"),
        t("r", "r1", TO_NCHW), op("MaxPool", "p", "r1"), t("p", "y", TO_NHWC));
    Graph out = PassManager.transposeOptimizer().run(g);
    assertEquals(List.of("Transpose", "Conv", "Add", "Relu", "MaxPool", "Transpose"), ops(out));
  }

  @Test
  void concatAndPadAxesAreRenumbered() {
    Tensor pads = Tensor.ofInt64s("pads", new long[] {8}, 0, 1, 2, 0, 0, 3, 4, 0); // NCHW: C 1/3, H 2/4
    Graph g = Graph.builder("g").input(ValueInfo.of("x", Type.tensor(ElementType.FLOAT, 1, 4, 4, 2)))
        .input(ValueInfo.of("z", Type.tensor(ElementType.FLOAT, 1, 4, 4, 2))).output(ValueInfo.untyped("y"))
        .node(t("x", "a", TO_NCHW)).node(t("z", "b", TO_NCHW))
        .node(Node.builder("Concat").name("cat").inputs("a", "b").outputs("cat").attribute(Attribute.of("axis", 1L)).build())
        .node(op("Pad", "y", "cat", "pads")).initializer(pads).build();
    Graph out = new RemoveDeadNodes().apply(new PushTransposeThroughAxisOps().apply(
        new PushTransposeThroughAxisOps().apply(g)));
    assertEquals(List.of("Concat", "Pad", "Transpose"), ops(out));
    assertEquals(3L, ((Attribute.IntAttr) out.nodes().get(0).attribute("axis").orElseThrow()).value());
    java.nio.ByteBuffer p = out.initializers().get(0).data().bytes();
    long[] v = new long[8];
    for (int i = 0; i < 8; i++) {
      v[i] = p.getLong(8 * i);
    }
    assertArrayEquals(new long[] {0, 2, 0, 1, 0, 4, 0, 3}, v); // NHWC: H 2/4, C 1/3
  }

  @Test
  void sharedTransposeIsCopiedPerReaderOnlyWhenEveryReaderCanTakeIt() {
    Graph g = graph(List.of(), t("x", "a", TO_NCHW), op("Relu", "r", "a"), op("Sigmoid", "s", "a"), op("Add", "y", "r", "s"));
    Graph split = new SplitSharedTransposes().apply(g);
    assertEquals(List.of("Transpose", "Relu", "Transpose", "Sigmoid", "Add"), ops(split));
    assertEquals(List.of("Relu", "Sigmoid", "Add", "Transpose"), ops(PassManager.transposeOptimizer().run(g)));

    Graph blocked = graph(List.of(), t("x", "a", TO_NCHW), op("Relu", "r", "a"), op("MaxPool", "m", "a"),
        op("Add", "y", "r", "m"));
    assertSame(blocked, new SplitSharedTransposes().apply(blocked));
  }

  @Test
  void reductionsReduceTheUntransposedAxes() {
    Tensor axes = Tensor.ofInt64s("axes", new long[] {2}, 1, 2); // H and W of the NHWC value
    Graph g = graph(List.of(axes), t("x", "a", TO_NHWC),
        Node.builder("ReduceMean").name("y").inputs("a", "axes").outputs("y").attribute(Attribute.of("keepdims", 0L)).build());
    Graph out = new RemoveDeadNodes().apply(new PushTransposeThroughAxisOps().apply(g));
    assertEquals(List.of("ReduceMean"), ops(out)); // [N, C] either way: no Transpose left
    java.nio.ByteBuffer b = out.initializers().get(0).data().bytes();
    assertArrayEquals(new long[] {2, 3}, new long[] {b.getLong(0), b.getLong(8)});

    Graph kept = graph(List.of(axes), t("x", "a", TO_NHWC),
        Node.builder("ReduceMax").name("y").inputs("a", "axes").outputs("y").attribute(Attribute.of("keepdims", 1L)).build());
    assertEquals(List.of("ReduceMax", "Transpose"),
        ops(new RemoveDeadNodes().apply(new PushTransposeThroughAxisOps().apply(kept))));
  }

  @Test
  void constantFoldingStopsAtItsBudget() {
    Tensor w = Tensor.ofFloats("w", new long[] {2, 3}, 1, 2, 3, 4, 5, 6); // 24 bytes
    Graph g = graph(List.of(w), t("w", "wt", 1, 0), op("MatMul", "y", "x", "wt"));
    assertSame(g, new FoldConstantTranspose(1024, 16).apply(g));
    assertEquals(List.of("MatMul"), ops(new RemoveDeadNodes().apply(new FoldConstantTranspose(1024, 24).apply(g))));
  }
}
