package dev.modelbridge.infer;

import static dev.modelbridge.infer.Infer.assertType;
import static dev.modelbridge.infer.Infer.f32;
import static dev.modelbridge.infer.Infer.of;
import static dev.modelbridge.infer.Infer.scalar;

import dev.modelbridge.build.GraphBuilder;
import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Tensor;
import org.junit.jupiter.api.Test;

class SourceAndControlFlowTest {

  @Test
  void constantsOfEveryValueAttribute() {
    GraphBuilder g = GraphBuilder.named("g");
    g.op("Constant").attr(Attribute.of("value", Tensor.ofFloats("", new long[] {2, 2}, 1, 2, 3, 4))).output("t");
    g.op("Constant").attr(Attribute.of("value_float", 1f)).output("f");
    g.op("Constant").attr(Attribute.floats("value_floats", 1f, 2f)).output("fs");
    g.op("Constant").attr(Attribute.of("value_int", 3L)).output("i");
    g.op("Constant").attr(Attribute.ints("value_ints", 1, 2, 3)).output("is");
    g.op("Constant").attr(Attribute.of("value_string", "a")).output("s");
    g.op("Constant").attr(Attribute.strings("value_strings", "a", "b")).output("ss");
    g.op("ConstantOfShape").inputs("is").attr(Attribute.of("value", Tensor.ofInt32s("", new long[] {1}, 0)))
        .output("cos");
    GraphTypes t = Infer.main(g, 17);
    assertType(t, "t", "float[2,2]");
    assertType(t, "f", "float[]");
    assertType(t, "fs", "float[2]");
    assertType(t, "i", "int64[]");
    assertType(t, "is", "int64[3]");
    assertType(t, "s", "string[]");
    assertType(t, "ss", "string[2]");
    assertType(t, "cos", "int32[1,2,3]");
  }

  @Test
  void shapeSizeAndRange() {
    GraphBuilder g = GraphBuilder.named("g");
    String x = g.input("x", f32("N", 3, 4));
    g.op("Shape").inputs(x).attr("start", 1L).output("sh");
    g.op("Size").inputs(x).output("sz");
    g.op("Range").inputs(g.initializer(scalar("st", 2)), g.initializer(scalar("li", 11)),
        g.initializer(scalar("de", 3))).output("r");
    GraphTypes t = Infer.main(g, 17);
    assertType(t, "sh", "int64[2]");
    assertType(t, "sz", "int64[]");
    assertType(t, "r", "int64[3]");
  }

  @Test
  void ifOutputsKeepWhatBothBranchesAgreeOn() {
    GraphBuilder g = GraphBuilder.named("g");
    String c = g.input("c", of(ElementType.BOOL));
    String x = g.input("x", f32(2, 3));
    GraphBuilder then = g.subgraph("then");
    then.op("Relu").inputs(x).output("a");
    then.output("a");
    GraphBuilder other = g.subgraph("else");
    other.op("Concat").inputs(x, x).attr("axis", 0L).output("b");
    other.output("b");
    g.op("If").inputs(c).attr("then_branch", then.build()).attr("else_branch", other.build()).output("y");
    ModelInference m = ModelInference.infer(GraphBuilder.model(g.build(), 17));
    assertType(m.main(), "y", "float[?,3]");
    Graph thenGraph = ((Attribute.GraphAttr) m.main().graph().nodes().get(0).attribute("then_branch").get()).value();
    assertType(m.of(thenGraph).orElseThrow(), "a", "float[2,3]");
  }

  @Test
  void loopCarriesStateAndStacksScanOutputs() {
    GraphBuilder g = GraphBuilder.named("g");
    String n = g.input("n", of(ElementType.INT64));
    String x = g.input("x", f32(2, 3));
    GraphBuilder body = g.subgraph("body");
    body.input("i", of(ElementType.INT64));
    String cond = body.input("cond", of(ElementType.BOOL));
    String acc = body.input("acc");
    body.op("Add").inputs(acc, x).output("acc_out");
    body.op("Identity").inputs(cond).output("cond_out");
    body.op("ReduceSum").inputs("acc_out").attr("keepdims", 0L).output("total");
    body.output("cond_out").output("acc_out").output("total");
    g.op("Loop").inputs(n, "", x).attr("body", body.build()).outputs("final", "totals");
    GraphTypes t = Infer.main(g, 11);
    assertType(t, "final", "float[2,3]");
    assertType(t, "totals", "float[?]");
  }
}
