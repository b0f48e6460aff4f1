package dev.modelbridge.infer;

import static dev.modelbridge.infer.Infer.assertType;
import static dev.modelbridge.infer.Infer.f32;
import static dev.modelbridge.infer.Infer.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.build.GraphBuilder;
import dev.modelbridge.ir.ElementType;
import org.junit.jupiter.api.Test;

class ElementwiseAndBroadcastTest {

  @Test
  void unaryOpsKeepTypeAndShape() {
    GraphBuilder g = GraphBuilder.named("g");
    String x = g.input("x", f32("N", 3, null));
    g.op("Relu").inputs(x).output("r");
    g.op("Softmax").inputs("r").attr("axis", 1L).output("s");
    g.op("IsNaN").inputs(x).output("n");
    g.op("Cast").inputs(x).attr("to", (long) ElementType.INT64.code()).output("c");
    g.op("CastLike").inputs(x, "c").output("cl");
    GraphTypes t = Infer.main(g, 17);
    assertType(t, "r", "float[N,3,?]");
    assertType(t, "s", "float[N,3,?]");
    assertType(t, "n", "bool[N,3,?]");
    assertType(t, "c", "int64[N,3,?]");
    assertType(t, "cl", "int64[N,3,?]");
  }

  @Test
  void dropoutMaskIsBoolFromOpset10AndTheInputTypeBefore() {
    for (long opset : new long[] {7, 12}) {
      GraphBuilder g = GraphBuilder.named("g");
      String x = g.input("x", f32(2, 3));
      g.op("Dropout").inputs(x).outputs("y", "mask");
      GraphTypes t = Infer.main(g, opset);
      assertType(t, "y", "float[2,3]");
      assertType(t, "mask", opset >= 10 ? "bool[2,3]" : "float[2,3]");
    }
  }

  @Test
  void broadcastingMixesFixedSymbolicAndUnknownDims() {
    GraphBuilder g = GraphBuilder.named("g");
    String a = g.input("a", f32("N", 1, 3));
    String b = g.input("b", f32(4, 1));
    String c = g.input("c", f32("N", null));
    g.op("Add").inputs(a, b).output("ab");
    g.op("Mul").inputs(a, c).output("ac");
    g.op("Less").inputs(a, b).output("lt");
    g.op("Where").inputs("lt", a, b).output("w");
    g.op("Sum").inputs(a, b, c).output("sum");
    GraphTypes t = Infer.main(g, 17);
    assertType(t, "ab", "float[N,4,3]");
    assertType(t, "ac", "float[N,N,3]");
    assertType(t, "lt", "bool[N,4,3]");
    assertType(t, "w", "float[N,4,3]");
    assertType(t, "sum", "float[N,4,3]");
    assertTrue(t.incompatibilities().isEmpty());
  }

  @Test
  void reportsMixedElementTypesAndSizesThatCannotBroadcast() {
    GraphBuilder g = GraphBuilder.named("g");
    String a = g.input("a", f32(2, 3));
    String b = g.input("b", of(ElementType.INT64, 2, 3));
    String c = g.input("c", f32(4, 3));
    g.op("Add").name("add").inputs(a, b).output("x");
    g.op("Sub").name("sub").inputs(a, c).output("y");
    GraphTypes t = Infer.main(g, 17);
    assertEquals(2, t.incompatibilities().size(), t.incompatibilities().toString());
    GraphTypes.Incompatibility first = t.incompatibilities().get(0);
    assertEquals("add", first.node().name());
    assertEquals("input 1 'b'", first.field());
    assertTrue(first.message().contains("int64") && first.message().contains("float"), first.message());
    assertTrue(t.incompatibilities().get(1).message().contains("cannot broadcast"));
  }

  @Test
  void beforeOpset7TheSecondOperandTakesTheFirstsShape() {
    GraphBuilder g = GraphBuilder.named("g");
    String a = g.input("a", f32(2, 3, 4));
    String b = g.input("b", f32(3));
    g.op("Add").inputs(a, b).attr("broadcast", 1L).attr("axis", 1L).output("y");
    GraphTypes t = Infer.main(g, 6);
    assertType(t, "y", "float[2,3,4]");
    assertTrue(t.incompatibilities().isEmpty());
  }
}
