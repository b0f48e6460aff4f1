package dev.modelbridge.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.build.GraphBuilder;
import dev.modelbridge.build.Tensors;
import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.AttributeKind;
import dev.modelbridge.ir.Bytes;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Function;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.OpsetImport;
import dev.modelbridge.ir.Shape;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.Type;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TextFormatTest {

  private static Model modelWithIf() {
    GraphBuilder g = GraphBuilder.named("mlp");
    String x = g.input("x", Type.tensor(ElementType.FLOAT, Shape.ofMixed("batch", 4)));
    String c = g.input("c", Type.tensor(ElementType.BOOL));
    String w = g.initializer(Tensor.ofFloats("w", new long[] {4, 3}, new float[12]));
    String h = g.op("MatMul").inputs(x, w).output();
    String y = g.op("LeakyRelu").name("act").inputs(h).attr("alpha", 0.1f).output("y");
    GraphBuilder then = g.subgraph("then_g");
    String t = then.op("Relu").inputs(y).output();
    then.output(t, Type.tensor(ElementType.FLOAT, Shape.ofMixed("batch", null)));
    GraphBuilder els = g.subgraph("else_g");
    els.output(els.op("Neg").inputs(y).output());
    g.op("If").inputs(c).attr("then_branch", then.build()).attr("else_branch", els.build())
        .output("r");
    g.op("Split").domain("custom").inputs("r", "").ints("split", 1, 2).attr("mode", "a \"b\"")
        .outputs("s0", "");
    g.output(y, Type.tensor(ElementType.FLOAT, Shape.ofMixed("batch", 3)));
    g.valueInfo(h, Type.tensorOfUnknownRank(ElementType.FLOAT));
    return GraphBuilder.model(g.build(), 17).toBuilder().opset("custom", 1).build();
  }

  @Test
  void showsHeaderSignatureInitializersAndNodes() {
    String text = TextFormat.format(modelWithIf());
    assertTrue(text.startsWith(
        "<ir_version: 8, opset_import: [\"\" : 17, \"custom\" : 1], producer_name: \"ModelBridge\">\n"),
        text);
    assertContains(text, "mlp (float[batch,4] x, bool[] c) => (float[batch,3] y)\n");
    assertContains(text, "   <float[4,3] w = {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, ...} (48 bytes)>\n");
    assertContains(text, "   <value_info float MatMul_0>\n");
    assertContains(text, "\n{\n   MatMul_0 = MatMul (x, w)\n");
    assertContains(text, "   [act] y = LeakyRelu <alpha: float = 0.1> (MatMul_0)\n");
    assertContains(text,
        "   [Split_0] s0,  = custom.Split <split: ints = [1, 2], mode: string = \"a \\\"b\\\"\"> (r, )\n");
  }

  @Test
  void printsSubgraphsNestedAndIndented() {
    String text = TextFormat.format(modelWithIf());
    assertContains(text, "   [If_0] r = If (c)\n"
        + "      then_branch: graph = then_g () => (float[batch,?] Relu_0)\n"
        + "      {\n"
        + "         Relu_0 = Relu (y)\n"
        + "      }\n"
        + "      else_branch: graph = else_g () => (Neg_0)\n"
        + "      {\n"
        + "         Neg_0 = Neg (y)\n"
        + "      }\n");
    assertTrue(text.endsWith("}\n"), text);
  }

  @Test
  void isDeterministic() {
    assertEquals(TextFormat.format(modelWithIf()), TextFormat.format(modelWithIf()));
  }

  @Test
  void showsEveryKindOfAttribute() {
    Node n = Node.builder("Op").outputs("o")
        .attribute(Attribute.of("i", 3L))
        .attribute(Attribute.floats("fs", 1f, -2.5f))
        .attribute(Attribute.strings("ss", "a", "b"))
        .attribute(new Attribute.StringAttr("raw", Bytes.copyOf(new byte[] {(byte) 0xff}), ""))
        .attribute(Attribute.of("t", Tensor.ofInt64s("", new long[] {2}, 5, 6)))
        .attribute(new Attribute.TypeAttr("ty", Type.tensor(ElementType.INT8, 2), ""))
        .attribute(new Attribute.RefAttr("alpha", AttributeKind.FLOAT, "outer_alpha", ""))
        .attribute(new Attribute.GraphsAttr("gs", List.of(Graph.builder("b0").build()), ""))
        .build();
    assertEquals("o = Op <i: int = 3, fs: floats = [1.0, -2.5], ss: strings = [\"a\", \"b\"], "
        + "raw: string = 0xff, t: tensor = int64[2] {5, 6}, ty: type_proto = int8[2], "
        + "alpha: float = @outer_alpha> ()\n"
        + "   gs: graphs = [\n"
        + "      b0 () => ()\n"
        + "      {\n"
        + "      }\n"
        + "   ]\n", TextFormat.format(n));
  }

  @Test
  void showsTypes() {
    assertEquals("float[batch,4,?]", TextFormat.format(Type.tensor(ElementType.FLOAT, Shape.ofMixed("batch", 4, null))));
    assertEquals("int64", TextFormat.format(Type.tensorOfUnknownRank(ElementType.INT64)));
    assertEquals("seq(float[])", TextFormat.format(new Type.SequenceType(Optional.of(Type.tensor(ElementType.FLOAT)), "")));
    assertEquals("map(string, ?)", TextFormat.format(new Type.MapType(ElementType.STRING, Optional.empty(), "")));
  }

  @Test
  void summarisesTensorsWithoutReadingFiles() {
    assertEquals("float[1000] ext = <external \"w.bin\", offset 16, 4000 bytes>",
        TextFormat.format(Tensor.ofFileRegion("ext", ElementType.FLOAT, new long[] {1000},
            Path.of("/does/not/exist/w.bin"), 16, 4000)));
    assertEquals("string[2] s = {\"hi\", 0xff}", TextFormat.format(Tensor.ofStrings("s", new long[] {2},
        List.of(Bytes.utf8("hi"), Bytes.copyOf(new byte[] {(byte) 0xff})))));
    assertEquals("int4[3,3] q = ... (5 bytes)", TextFormat.format(Tensors.zeros("q", ElementType.INT4, 3, 3)));
    assertEquals("float[3] short = {1.0, 2.0, ...} (8 bytes, expected 12)",
        TextFormat.format(Tensor.ofFloats("short", new long[] {3}, 1f, 2f)));
    ByteBuffer half = ByteBuffer.wrap(new byte[] {0x00, 0x3c, 0x00, (byte) 0xc0, 0x01, 0x00});
    assertEquals("float16[3] {1.0, -2.0, 5.9604645E-8}",
        TextFormat.format(Tensor.of("", ElementType.FLOAT16, new long[] {3}, half)));
    assertEquals("uint8[2] {255, 1}", TextFormat.format(
        Tensor.of("", ElementType.UINT8, new long[] {2}, ByteBuffer.wrap(new byte[] {-1, 1}))));
    assertEquals("float[] \"odd name\" = {0.5}", TextFormat.format(Tensor.scalar("odd name", 0.5f)));
  }

  @Test
  void showsFunctions() {
    Function f = new Function("Twice", "local", "", List.of("x"), List.of("y"), List.of("scale"),
        List.of(Attribute.of("bias", 0.5f)),
        List.of(Node.builder("Add").inputs("x", "x").outputs("y").build()),
        "", List.of(new OpsetImport("", 17)), List.of(), List.of());
    Model m = GraphBuilder.model(GraphBuilder.named("g").build(), 17).toBuilder().function(f).build();
    assertContains(TextFormat.format(m), "}\n<domain: \"local\", opset_import: [\"\" : 17]>\n"
        + "Twice <scale, bias: float = 0.5> (x) => (y)\n{\n   y = Add (x, x)\n}\n");
  }

  private static void assertContains(String text, String part) {
    assertTrue(text.contains(part), () -> "expected\n" + part + "\nin\n" + text);
  }
}
