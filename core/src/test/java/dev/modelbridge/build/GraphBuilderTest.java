package dev.modelbridge.build;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.OpsetImport;
import dev.modelbridge.ir.Shape;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.Type;
import dev.modelbridge.ir.ValueInfo;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GraphBuilderTest {
  private static final Type X = Type.tensor(ElementType.FLOAT, Shape.ofMixed("batch", 4));
  private static final Type Y = Type.tensor(ElementType.FLOAT, Shape.ofMixed("batch", 3));

  @Test
  void buildsTheMlpOfTheJavadoc() {
    GraphBuilder g = GraphBuilder.named("mlp");
    String x = g.input("x", X);
    String w = g.initializer(Tensor.ofFloats("w", new long[] {4, 3}, new float[12]));
    String h = g.op("MatMul").inputs(x, w).output();
    String y = g.op("Relu").inputs(h).attr(Attribute.of("alpha", 0.1f)).output("y");
    String[] parts = g.op("Split").inputs(y).outputs(2);
    g.output(y, Y);
    Graph graph = g.build();

    assertEquals("mlp", graph.name());
    assertEquals(List.of(ValueInfo.of("x", X)), graph.inputs());
    assertEquals(List.of(ValueInfo.of("y", Y)), graph.outputs());
    assertEquals(List.of("w"), graph.initializers().stream().map(Tensor::name).toList());
    assertEquals("MatMul_0", h);
    assertEquals("y", y);
    assertArrayEquals(new String[] {"Split_0_0", "Split_0_1"}, parts);

    List<Node> nodes = graph.nodes();
    assertEquals(3, nodes.size());
    assertEquals(node("MatMul_0", "MatMul", List.of("x", "w"), List.of("MatMul_0")), nodes.get(0));
    assertEquals("Relu_0", nodes.get(1).name());
    assertEquals(Optional.of(Attribute.of("alpha", 0.1f)), nodes.get(1).attribute("alpha"));
    assertEquals(List.of("Split_0_0", "Split_0_1"), nodes.get(2).outputs());
    assertEquals("Split_0", nodes.get(2).name());
  }

  @Test
  void countsPerOpTypeAndHonoursGivenNamesAndDomains() {
    GraphBuilder g = GraphBuilder.named("g");
    String a = g.input("a", X);
    String r1 = g.op("Relu").inputs(a).output();
    String r2 = g.op("Relu").inputs(r1).output();
    String s = g.op("Sigmoid").inputs(r2).output();
    String f = g.op("FusedGemm").name("fc1").domain("com.microsoft").inputs(s, "", a).output();
    assertEquals(List.of("Relu_0", "Relu_1", "Sigmoid_0", "FusedGemm_0"), List.of(r1, r2, s, f));

    Node fused = g.build().nodes().get(3);
    assertEquals("fc1", fused.name());
    assertEquals("com.microsoft", fused.domain());
    assertEquals(List.of("Sigmoid_0", "", "a"), fused.inputs());
  }

  @Test
  void generatedNamesSkipNamesAlreadyTaken() {
    GraphBuilder g = GraphBuilder.named("g");
    g.input("Relu_0", X);
    String r = g.op("Relu").inputs("Relu_0").output();
    assertEquals("Relu_1", r);
  }

  @Test
  void optionalOutputsMayBeEmptyAndNodesMayHaveNone() {
    GraphBuilder g = GraphBuilder.named("g");
    String[] outs = g.op("Dropout").inputs("x").outputs("d", "");
    String[] none = g.op("Print").inputs("d").outputs();
    assertArrayEquals(new String[] {"d", ""}, outs);
    assertEquals(0, none.length);
    assertEquals(List.of(), g.build().nodes().get(1).outputs());
    assertEquals("Print_0", g.build().nodes().get(1).name());
  }

  @Test
  void nestedBuildersShareTheNameSpaceAndMakeGraphAttributes() {
    GraphBuilder g = GraphBuilder.named("main");
    String cond = g.input("cond", Type.tensor(ElementType.BOOL));
    String x = g.input("x", X);
    GraphBuilder then = g.subgraph("then");
    then.output(then.op("Relu").inputs(x).output());
    GraphBuilder els = g.subgraph("else");
    els.output(els.op("Relu").inputs(x).output());
    String r = g.op("If").inputs(cond).attr("then_branch", then.build())
        .attr("else_branch", els.build()).output();
    String after = g.op("Relu").inputs(r).output();

    Node ifNode = g.build().nodes().get(0);
    assertEquals(List.of("then", "else"), ifNode.subgraphs().stream().map(Graph::name).toList());
    assertEquals("Relu_0", ifNode.subgraphs().get(0).nodes().get(0).outputs().get(0));
    assertEquals("Relu_1", ifNode.subgraphs().get(1).nodes().get(0).outputs().get(0));
    assertEquals("Relu_2", after);
  }

  @Test
  void rejectsRedefinitionInTheSameOrAnEnclosingGraph() {
    GraphBuilder g = GraphBuilder.named("g");
    g.input("x", X);
    assertThrows(IllegalArgumentException.class, () -> g.input("x", X));
    assertThrows(IllegalArgumentException.class, () -> g.op("Relu").inputs("x").output("x"));
    assertThrows(IllegalArgumentException.class, () -> g.op("Split").inputs("x").outputs("a", "a"));
    GraphBuilder sub = g.subgraph("body");
    assertThrows(IllegalArgumentException.class, () -> sub.op("Relu").inputs("x").output("x"));
    // Sibling subgraphs may reuse a name; the failed attempts above left nothing behind.
    g.subgraph("one").op("Relu").inputs("x").output("same");
    g.subgraph("two").op("Relu").inputs("x").output("same");
    assertEquals(0, g.build().nodes().size());
  }

  @Test
  void anOpFinishesOnce() {
    OpBuilder op = GraphBuilder.named("g").op("Relu").inputs("x");
    op.output();
    assertThrows(IllegalStateException.class, op::output);
  }

  @Test
  void constantsAndUnnamedInitializers() {
    GraphBuilder g = GraphBuilder.named("g");
    assertEquals("k", g.constant(Tensor.ofInt64s("k", new long[] {1}, 3)));
    // The first Constant node took the name Constant_0 though its output is named k.
    assertEquals("Constant_1", g.constant(Tensor.scalar("", 1f)));
    Node k = g.build().nodes().get(0);
    assertEquals("Constant_0", k.name());
    assertEquals("Constant", k.opType());
    assertTrue(k.attribute("value").orElseThrow() instanceof Attribute.TensorAttr);
    assertThrows(IllegalArgumentException.class, () -> g.initializer(Tensor.scalar("", 1f)));
  }

  @Test
  void modelUsesTheIrVersionOfTheOpsetsRelease() {
    Model m = GraphBuilder.model(GraphBuilder.named("g").build(), 17);
    assertEquals(8, m.irVersion());
    assertEquals(List.of(new OpsetImport("", 17)), m.opsetImports());
    assertEquals("ModelBridge", m.producerName());

    long[][] table = {{1, 3}, {8, 3}, {9, 4}, {10, 5}, {11, 6}, {12, 7}, {14, 7}, {15, 8}, {18, 8},
        {19, 9}, {20, 9}, {21, 10}, {22, 10}, {23, 11}, {24, 12}, {25, 13}, {27, 13}};
    for (long[] row : table) {
      assertEquals(row[1], GraphBuilder.irVersionForOpset(row[0]), "opset " + row[0]);
    }
    assertThrows(IllegalArgumentException.class, () -> GraphBuilder.irVersionForOpset(0));
    assertThrows(IllegalArgumentException.class, () -> GraphBuilder.irVersionForOpset(28));
  }

  private static Node node(String name, String op, List<String> in, List<String> out) {
    return Node.builder(op).name(name).inputs(in).outputs(out).build();
  }
}
