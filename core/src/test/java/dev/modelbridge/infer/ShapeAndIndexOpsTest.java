package dev.modelbridge.infer;

import static dev.modelbridge.infer.Infer.assertType;
import static dev.modelbridge.infer.Infer.f32;
import static dev.modelbridge.infer.Infer.ints;
import static dev.modelbridge.infer.Infer.scalar;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelbridge.build.GraphBuilder;
import dev.modelbridge.ir.Tensor;
import org.junit.jupiter.api.Test;

class ShapeAndIndexOpsTest {

  @Test
  void reshapeWithConstantShapeKeepsZeroAndComputesMinusOne() {
    GraphBuilder g = GraphBuilder.named("g");
    String x = g.input("x", f32("N", 3, 4, 5));
    g.op("Reshape").inputs(x, g.initializer(ints("s1", 0, -1))).output("r1");
    g.op("Reshape").inputs(x, g.constant(ints("s2", 6, -1, 5))).output("r2");
    g.op("Reshape").inputs(x, g.input("dyn", Infer.of(dev.modelbridge.ir.ElementType.INT64, 3))).output("r3");
    GraphTypes t = Infer.main(g, 17);
    assertType(t, "r1", "float[N,60]");
    assertType(t, "r2", "float[6,?,5]");
    assertType(t, "r3", "float[?,?,?]");
  }

  @Test
  void shapeGatherConcatChainsCarrySymbolicDimsIntoReshape() {
    GraphBuilder g = GraphBuilder.named("g");
    String x = g.input("x", f32("batch", "seq", 8));
    String shape = g.op("Shape").inputs(x).output("shape");
    String b = g.op("Gather").inputs(shape, g.initializer(scalar("i0", 0))).output("b");
    String s = g.op("Gather").inputs(shape, g.initializer(scalar("i1", 1))).output("s");
    String bu = g.op("Unsqueeze").inputs(b, g.initializer(ints("ax", 0))).output("bu");
    String su = g.op("Unsqueeze").inputs(s, "ax").output("su");
    String target = g.op("Concat").inputs(bu, su, g.initializer(ints("rest", 2, 4))).attr("axis", 0L)
        .output("target");
    g.op("Reshape").inputs(x, target).output("y");
    g.op("ConstantOfShape").inputs(shape).output("zeros");
    GraphTypes t = Infer.main(g, 17);
    assertType(t, "shape", "int64[3]");
    assertType(t, "b", "int64[]");
    assertType(t, "target", "int64[4]");
    assertType(t, "y", "float[batch,seq,2,4]");
    assertType(t, "zeros", "float[batch,seq,8]");
  }

  @Test
  void squeezeAndUnsqueezeTakeAxesFromAttributeBeforeOpset13AndInputFrom13() {
    GraphBuilder g11 = GraphBuilder.named("g");
    String x = g11.input("x", f32(1, 3, 1, 5));
    g11.op("Squeeze").inputs(x).ints("axes", 0).output("sq");
    g11.op("Squeeze").inputs(x).output("all");
    g11.op("Unsqueeze").inputs(x).ints("axes", 0, -1).output("un");
    GraphTypes t = Infer.main(g11, 11);
    assertType(t, "sq", "float[3,1,5]");
    assertType(t, "all", "float[3,5]");
    assertType(t, "un", "float[1,1,3,1,5,1]");
    GraphBuilder g13 = GraphBuilder.named("g");
    String y = g13.input("x", f32(1, 3, 1, 5));
    String axes = g13.initializer(ints("axes", 2));
    g13.op("Squeeze").inputs(y, axes).output("sq");
    g13.op("Unsqueeze").inputs(y, axes).output("un");
    t = Infer.main(g13, 13);
    assertType(t, "sq", "float[1,3,5]");
    assertType(t, "un", "float[1,3,1,1,5]");
  }

  @Test
  void transposeFlattenExpandTilePadAndResize() {
    GraphBuilder g = GraphBuilder.named("g");
    String x = g.input("x", f32("N", 3, 4, 1));
    g.op("Transpose").inputs(x).ints("perm", 0, 2, 3, 1).output("tr");
    g.op("Transpose").inputs(x).output("rev");
    g.op("Flatten").inputs(x).attr("axis", 2L).output("fl");
    g.op("Expand").inputs(x, g.initializer(ints("es", 2, 1, 1, 1, 6))).output("ex");
    g.op("Tile").inputs(x, g.initializer(ints("rep", 1, 2, 1, 3))).output("ti");
    g.op("Pad").inputs(x, g.initializer(ints("pads", 0, 0, 1, 0, 0, 0, 2, 0))).output("pa");
    Tensor scales = Tensor.ofFloats("sc", new long[] {4}, 1f, 1f, 2f, 2f);
    g.op("Resize").inputs(x, "", g.initializer(scales)).output("rs");
    GraphTypes t = Infer.main(g, 13);
    assertType(t, "tr", "float[N,4,1,3]");
    assertType(t, "rev", "float[1,4,3,N]");
    assertType(t, "fl", "float[?,4]");
    assertType(t, "ex", "float[2,N,3,4,6]");
    assertType(t, "ti", "float[N,6,4,3]");
    assertType(t, "pa", "float[N,3,7,1]");
    assertType(t, "rs", "float[N,3,8,2]");
  }

  @Test
  void concatSplitSliceGatherTopK() {
    GraphBuilder g = GraphBuilder.named("g");
    String a = g.input("a", f32("N", 2, 6));
    String b = g.input("b", f32("N", 3, 6));
    g.op("Concat").inputs(a, b).attr("axis", 1L).output("cat");
    g.op("Split").inputs(a).attr("axis", 2L).outputs("s0", "s1", "s2");
    g.op("Split").inputs(a, g.initializer(ints("parts", 2, 4))).attr("axis", -1L).outputs("p0", "p1");
    g.op("Slice").inputs(a, g.initializer(ints("st", 1)), g.initializer(ints("en", 100)),
        g.initializer(ints("axs", 2)), g.initializer(ints("stp", 2))).output("sl");
    g.op("Gather").inputs(a, g.initializer(ints("idx", 0, 1, 1))).attr("axis", 2L).output("ga");
    g.op("TopK").inputs(a, g.initializer(ints("k", 3))).outputs("tv", "ti");
    g.op("ArgMax").inputs(a).attr("axis", 1L).attr("keepdims", 0L).output("am");
    GraphTypes t = Infer.main(g, 13);
    assertType(t, "cat", "float[N,5,6]");
    assertType(t, "s1", "float[N,2,2]");
    assertType(t, "p1", "float[N,2,4]");
    assertType(t, "sl", "float[N,2,3]");
    assertType(t, "ga", "float[N,2,3]");
    assertType(t, "tv", "float[N,2,3]");
    assertType(t, "ti", "int64[N,2,3]");
    assertType(t, "am", "int64[N,6]");
  }

  @Test
  void concatReportsRanksAndSizesThatDiffer() {
    GraphBuilder g = GraphBuilder.named("g");
    String a = g.input("a", f32(2, 3));
    String b = g.input("b", f32(2, 4));
    g.op("Concat").inputs(a, b).attr("axis", 0L).output("c");
    assertEquals(1, Infer.main(g, 13).incompatibilities().size());
  }

  @Test
  void reductionsTakeAxesByOpset() {
    GraphBuilder g11 = GraphBuilder.named("g");
    String x = g11.input("x", f32("N", 3, 4));
    g11.op("ReduceSum").inputs(x).ints("axes", 1).output("s");
    g11.op("ReduceMean").inputs(x).ints("axes", -1).attr("keepdims", 0L).output("m");
    g11.op("ReduceMax").inputs(x).attr("keepdims", 0L).output("all");
    GraphTypes t = Infer.main(g11, 11);
    assertType(t, "s", "float[N,1,4]");
    assertType(t, "m", "float[N,3]");
    assertType(t, "all", "float[]");
    GraphBuilder g18 = GraphBuilder.named("g");
    String y = g18.input("x", f32("N", 3, 4));
    String axes = g18.initializer(ints("axes", 1));
    g18.op("ReduceSum").inputs(y, axes).output("s");
    g18.op("ReduceMean").inputs(y, axes).attr("keepdims", 0L).output("m");
    t = Infer.main(g18, 18);
    assertType(t, "s", "float[N,1,4]");
    assertType(t, "m", "float[N,4]");
  }
}
