package dev.modelbridge.infer;

import static dev.modelbridge.infer.Infer.assertType;
import static dev.modelbridge.infer.Infer.f32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.build.GraphBuilder;
import dev.modelbridge.build.Tensors;
import org.junit.jupiter.api.Test;

class ConvAndMatrixTest {

  @Test
  void convolutionSizesFollowPadsStridesDilationsAndAutoPad() {
    GraphBuilder g = GraphBuilder.named("g");
    String x = g.input("x", f32("N", 3, 224, 224));
    String w = g.initializer(Tensors.zeros("w", dev.modelbridge.ir.ElementType.FLOAT, 64, 3, 7, 7));
    g.op("Conv").inputs(x, w).ints("pads", 3, 3, 3, 3).ints("strides", 2, 2).output("c1");
    g.op("Conv").inputs(x, w).attr("auto_pad", "SAME_UPPER").ints("strides", 2, 2).output("c2");
    g.op("Conv").inputs(x, w).ints("dilations", 2, 2).output("c3");
    g.op("MaxPool").inputs("c1").ints("kernel_shape", 3, 3).ints("strides", 2, 2).attr("ceil_mode", 1L)
        .output("p1");
    g.op("AveragePool").inputs("c1").ints("kernel_shape", 3, 3).ints("strides", 2, 2).output("p2");
    g.op("GlobalAveragePool").inputs("c1").output("gap");
    String wt = g.initializer(Tensors.zeros("wt", dev.modelbridge.ir.ElementType.FLOAT, 64, 8, 4, 4));
    g.op("ConvTranspose").inputs("c1", wt).ints("strides", 2, 2).ints("pads", 1, 1, 1, 1).output("ct");
    GraphTypes t = Infer.main(g, 17);
    assertType(t, "c1", "float[N,64,112,112]");
    assertType(t, "c2", "float[N,64,112,112]");
    assertType(t, "c3", "float[N,64,212,212]");
    assertType(t, "p1", "float[N,64,56,56]"); // ceil((112-3)/2)+1
    assertType(t, "p2", "float[N,64,55,55]"); // floor((112-3)/2)+1
    assertType(t, "gap", "float[N,64,1,1]");
    assertType(t, "ct", "float[N,8,224,224]"); // 2*(112-1)+4-2
    assertTrue(t.incompatibilities().isEmpty());
  }

  @Test
  void ceilModeDropsAWindowThatWouldStartInThePadding() {
    GraphBuilder g = GraphBuilder.named("g");
    String x = g.input("x", f32(1, 1, 2, 2));
    g.op("MaxPool").inputs(x).ints("kernel_shape", 1, 1).ints("strides", 2, 2).attr("ceil_mode", 1L).output("y");
    assertType(Infer.main(g, 17), "y", "float[1,1,1,1]");
  }

  @Test
  void convolutionReportsChannelsTheWeightsDoNotExpect() {
    GraphBuilder g = GraphBuilder.named("g");
    String x = g.input("x", f32(1, 4, 8, 8));
    String w = g.initializer(Tensors.zeros("w", dev.modelbridge.ir.ElementType.FLOAT, 6, 3, 3, 3));
    g.op("Conv").inputs(x, w).output("y");
    GraphTypes t = Infer.main(g, 17);
    assertEquals(1, t.incompatibilities().size());
    assertEquals("input 1 'w'", t.incompatibilities().get(0).field());
  }

  @Test
  void matmulBroadcastsBatchesAndPromotesVectors() {
    GraphBuilder g = GraphBuilder.named("g");
    String a = g.input("a", f32("B", 1, 5, 4));
    String b = g.input("b", f32(7, 4, 6));
    String v = g.input("v", f32(4));
    g.op("MatMul").inputs(a, b).output("ab");
    g.op("MatMul").inputs(a, v).output("av");
    g.op("MatMul").inputs(v, b).output("vb");
    GraphTypes t = Infer.main(g, 17);
    assertType(t, "ab", "float[B,7,5,6]");
    assertType(t, "av", "float[B,1,5]");
    assertType(t, "vb", "float[7,6]");
  }

  @Test
  void matmulAndGemmReportInnerDimensionsThatDiffer() {
    GraphBuilder g = GraphBuilder.named("g");
    String a = g.input("a", f32(2, 3));
    String b = g.input("b", f32(4, 5));
    String c = g.input("c", f32(5, 3));
    g.op("MatMul").inputs(a, b).output("bad");
    g.op("Gemm").inputs(a, c).attr("transB", 1L).output("ok");
    g.op("Gemm").inputs(a, c).output("bad2");
    GraphTypes t = Infer.main(g, 17);
    assertType(t, "ok", "float[2,5]");
    assertEquals(2, t.incompatibilities().size(), t.incompatibilities().toString());
  }

  @Test
  void einsumExplicitAndImplicitOutputs() {
    GraphBuilder g = GraphBuilder.named("g");
    String a = g.input("a", f32("B", 3, 4));
    String b = g.input("b", f32("B", 4, 5));
    g.op("Einsum").inputs(a, b).attr("equation", "bij,bjk->bik").output("e1");
    g.op("Einsum").inputs(a, b).attr("equation", "bij,bjk").output("e2");
    g.op("Einsum").inputs(a).attr("equation", "...ij->...ji").output("e3");
    GraphTypes t = Infer.main(g, 17);
    assertType(t, "e1", "float[B,3,5]");
    assertType(t, "e2", "float[3,5]");
    assertType(t, "e3", "float[B,4,3]");
  }
}
