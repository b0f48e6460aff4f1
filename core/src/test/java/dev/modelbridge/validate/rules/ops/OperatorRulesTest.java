package dev.modelbridge.validate.rules.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.build.GraphBuilder;
import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.AttributeKind;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Function;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.OpsetImport;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.Type;
import dev.modelbridge.text.TextFormat;
import dev.modelbridge.validate.Finding;
import dev.modelbridge.validate.OpRuleHarness;
import dev.modelbridge.validate.Severity;
import dev.modelbridge.validate.rules.OperatorRules;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each operator rule on tiny graphs, valid and invalid. */
class OperatorRulesTest {
  private static final Type F = Type.tensor(ElementType.FLOAT, 2, 3);
  private static final Type I64 = Type.tensor(ElementType.INT64, 2, 3);

  static List<Finding> check(Model m) {
    return OpRuleHarness.run(m, OperatorRules.all());
  }

  static void assertClean(Model m) {
    List<Finding> f = check(m);
    assertEquals(List.of(), f, () -> TextFormat.format(m));
  }

  /** Exactly one finding, of rule {@code id}; returns it. */
  static Finding assertOne(Model m, String id) {
    List<Finding> f = check(m);
    assertEquals(1, f.size(), () -> f + "\n" + TextFormat.format(m));
    assertEquals(id, f.get(0).ruleId(), f::toString);
    return f.get(0);
  }

  private static Model unary(String op, long opset) {
    GraphBuilder g = GraphBuilder.named("g");
    String x = g.input("x", F);
    g.output(g.op(op).inputs(x).output("y"), F);
    return GraphBuilder.model(g.build(), opset);
  }

  @Test
  void aValidMlpHasNoFindings() {
    GraphBuilder g = GraphBuilder.named("mlp");
    String x = g.input("x", F);
    String w = g.initializer(Tensor.ofFloats("w", new long[] {3, 3}, new float[9]));
    String h = g.op("MatMul").inputs(x, w).output();
    String s = g.op("Add").inputs(h, h).output();
    String c = g.op("Concat").inputs(s, s).attr("axis", 1L).output();
    g.output(g.op("Relu").inputs(c).output("y"), Type.tensor(ElementType.FLOAT, 2, 6));
    assertClean(GraphBuilder.model(g.build(), 17));
  }

  @Test
  void unknownOperatorIsReportedWithASpellingHint() {
    Finding f = assertOne(unary("relu", 17), "op.unknown");
    assertEquals(Severity.ERROR, f.severity());
    assertTrue(f.message().contains("did you mean 'Relu'"), f::toString);
    assertEquals("main", f.location().graph());
    assertOne(unary("NoSuchOp", 17), "op.unknown");
  }

  @Test
  void operatorNewerThanTheImportedOpset() {
    Finding f = assertOne(unary("Gelu", 17), "op.not-in-opset");
    assertTrue(f.message().contains("first appears in opset 20"), f::toString);
    assertClean(unary("Gelu", 20));
  }

  @Test
  void deprecatedOperatorIsNotInTheOpset() {
    GraphBuilder g = GraphBuilder.named("g");
    String x = g.input("x", F);
    String scales = g.initializer(Tensor.ofFloats("scales", new long[] {2}, 1f, 2f));
    g.output(g.op("Upsample").inputs(x, scales).output("y"), F);
    Model m9 = GraphBuilder.model(g.build(), 9);
    assertClean(m9);
    Finding f = assertOne(m9.toBuilder().opset("", 11).build(), "op.not-in-opset");
    assertTrue(f.message().contains("deprecated from opset 10"), f::toString);
    assertTrue(f.message().contains("import an opset below 10"), f::toString);
  }

  @Test
  void deprecatedVersionWithALaterFix() {
    GraphBuilder g = GraphBuilder.named("g");
    String x = g.input("x", F);
    String scale = g.initializer(Tensor.ofFloats("scale", new long[] {1}, 1f));
    String bias = g.initializer(Tensor.ofFloats("bias", new long[] {1}, 0f));
    g.output(g.op("GroupNormalization").inputs(x, scale, bias).attr("num_groups", 1L).output("y"), F);
    Finding f = assertOne(GraphBuilder.model(g.build(), 18), "op.not-in-opset");
    assertTrue(f.message().contains("import opset 21 or later, where GroupNormalization-21 defines it"), f::toString);
    assertClean(GraphBuilder.model(g.build(), 21));
  }

  @Test
  void customDomainWarnsOncePerOpUnlessAFunctionDefinesIt() {
    GraphBuilder g = GraphBuilder.named("g");
    String x = g.input("x", F);
    String a = g.op("Fancy").domain("com.example").inputs(x).output();
    g.output(g.op("Fancy").domain("com.example").inputs(a).output("y"), F);
    Model m = GraphBuilder.model(g.build(), 17).toBuilder().opset("com.example", 1).build();
    Finding f = assertOne(m, "op.custom-domain");
    assertEquals(Severity.WARNING, f.severity());
    assertTrue(f.message().contains("2 nodes"), f::toString);

    Function fancy = function("com.example", "Fancy", List.of("in"), List.of("out"), List.of(),
        List.of(Node.builder("Relu").inputs("in").outputs("out").build()), List.of(new OpsetImport("", 17)));
    assertClean(m.toBuilder().function(fancy).build());
  }

  @Test
  void arityOutsideTheSchemaRange() {
    GraphBuilder g = GraphBuilder.named("g");
    String x = g.input("x", F);
    g.output(g.op("Relu").inputs(x, x).output("y"), F);
    Finding f = assertOne(GraphBuilder.model(g.build(), 17), "op.arity");
    assertTrue(f.message().contains("2 inputs; Relu-14 takes 1"), f::toString);

    GraphBuilder c = GraphBuilder.named("g");
    String cx = c.input("x", F);
    c.output(c.op("Conv").inputs(cx).output("y"), F);
    assertOne(GraphBuilder.model(c.build(), 17), "op.arity");

    GraphBuilder d = GraphBuilder.named("g");
    String dx = d.input("x", F);
    d.output(d.op("Dropout").inputs(dx).outputs("y", "mask")[0], F);
    assertClean(GraphBuilder.model(d.build(), 17));
  }

  @Test
  void requiredInputLeftEmpty() {
    GraphBuilder g = GraphBuilder.named("g");
    String x = g.input("x", F);
    g.output(g.op("Conv").inputs(x, "").output("y"), F);
    Finding f = assertOne(GraphBuilder.model(g.build(), 17), "op.arity");
    assertEquals("input 1", f.location().field());
  }

  @Test
  void unknownAttribute() {
    GraphBuilder g = GraphBuilder.named("g");
    String x = g.input("x", F);
    g.output(g.op("Relu").inputs(x).attr("alpha", 0.1f).output("y"), F);
    Finding f = assertOne(GraphBuilder.model(g.build(), 17), "op.attribute-unknown");
    assertEquals("attribute 'alpha'", f.location().field());

    GraphBuilder h = GraphBuilder.named("g");
    String hx = h.input("x", F);
    h.output(h.op("Relu").inputs(hx).attr("__internal", 1L).output("y"), F);
    assertClean(GraphBuilder.model(h.build(), 17));
  }

  @Test
  void attributeOfTheWrongType() {
    GraphBuilder g = GraphBuilder.named("g");
    String x = g.input("x", F);
    g.output(g.op("Concat").inputs(x, x).attr("axis", 1.0f).output("y"), F);
    Finding f = assertOne(GraphBuilder.model(g.build(), 17), "op.attribute-type");
    assertTrue(f.message().contains("is float; Concat-13 expects int"), f::toString);
  }

  @Test
  void missingRequiredAttribute() {
    GraphBuilder g = GraphBuilder.named("g");
    String x = g.input("x", F);
    g.output(g.op("Concat").inputs(x, x).output("y"), F);
    Finding f = assertOne(GraphBuilder.model(g.build(), 17), "op.attribute-missing");
    assertEquals("attribute 'axis'", f.location().field());
  }

  @Test
  void typeVariableBoundToTwoTypes() {
    GraphBuilder g = GraphBuilder.named("g");
    String a = g.input("a", F);
    String b = g.input("b", I64);
    g.output(g.op("Add").inputs(a, b).output("y"), F);
    Finding f = assertOne(GraphBuilder.model(g.build(), 17), "op.type-constraint");
    assertEquals("input 1 'b'", f.location().field());
    assertTrue(f.message().contains("int64, but input 0 'a' is float"), f::toString);
  }

  @Test
  void typeNotAllowedByTheConstraint() {
    GraphBuilder g = GraphBuilder.named("g");
    String a = g.input("a", Type.tensor(ElementType.STRING, 2));
    g.output(g.op("Relu").inputs(a).output("y"));
    Finding f = assertOne(GraphBuilder.model(g.build(), 17), "op.type-constraint");
    assertTrue(f.message().startsWith("input 0 'a' of Relu is string; type constraint T of Relu-14 allows float,"),
        f::toString);
  }

  @Test
  void concreteTypeMismatchFromAnInitializerAndAConstant() {
    GraphBuilder g = GraphBuilder.named("g");
    String x = g.input("x", F);
    String shape = g.initializer(Tensor.ofInt32s("shape", new long[] {1}, 6));
    g.output(g.op("Reshape").inputs(x, shape).output("y"));
    Finding f = assertOne(GraphBuilder.model(g.build(), 17), "op.type-constraint");
    assertTrue(f.message().contains("is int32; Reshape-14 expects int64"), f::toString);

    GraphBuilder c = GraphBuilder.named("g");
    String cx = c.input("x", F);
    String cs = c.constant(Tensor.ofInt64s("", new long[] {1}, 6));
    c.output(c.op("Reshape").inputs(cx, cs).output("y"));
    assertClean(GraphBuilder.model(c.build(), 17));
  }

  @Test
  void nestedGraphsAreChecked() {
    GraphBuilder g = GraphBuilder.named("g");
    String cond = g.input("cond", Type.tensor(ElementType.BOOL));
    String x = g.input("x", F);
    GraphBuilder then = g.subgraph("then");
    then.output(then.op("Nope").inputs(x).output("t"));
    GraphBuilder other = g.subgraph("else");
    other.output(other.op("Identity").inputs(x).output("e"));
    g.output(g.op("If").name("if1").inputs(cond).attr("then_branch", then.build())
        .attr("else_branch", other.build()).output("y"));
    Finding f = assertOne(GraphBuilder.model(g.build(), 17), "op.unknown");
    assertEquals("main/if1:then_branch", f.location().graph());
  }

  @Test
  void functionCallsAreCheckedAgainstTheSignature() {
    Function fn = function("local", "Twice", List.of("a"), List.of("b"), List.of("alpha"),
        List.of(Node.builder("Add").inputs("a", "a").outputs("b").build()), List.of(new OpsetImport("", 17)));
    GraphBuilder g = GraphBuilder.named("g");
    String x = g.input("x", F);
    g.output(g.op("Twice").domain("local").inputs(x).attr("alpha", 1L).output("y"), F);
    Model ok = GraphBuilder.model(g.build(), 17).toBuilder().opset("local", 1).function(fn).build();
    assertClean(ok);

    GraphBuilder bad = GraphBuilder.named("g");
    String bx = bad.input("x", F);
    bad.output(bad.op("Twice").domain("local").inputs(bx, bx).attr("beta", 1L).output("y"), F);
    List<Finding> f = check(ok.toBuilder().graph(bad.build()).build());
    assertEquals(List.of("op.arity", "op.attribute-unknown"), f.stream().map(Finding::ruleId).toList(), f::toString);
  }

  @Test
  void functionBodiesUseTheFunctionsOpsets() {
    Function gelu = function("local", "G", List.of("a"), List.of("b"), List.of(),
        List.of(Node.builder("Gelu").inputs("a").outputs("b").build()), List.of(new OpsetImport("", 20)));
    GraphBuilder g = GraphBuilder.named("g");
    String x = g.input("x", F);
    g.output(g.op("G").domain("local").inputs(x).output("y"), F);
    Model m = withLocal(g.build(), gelu);
    assertClean(m);

    Function old = function("local", "G", List.of("a"), List.of("b"), List.of(),
        gelu.nodes(), List.of(new OpsetImport("", 18)));
    Finding f = assertOne(withLocal(m.graph(), old), "op.not-in-opset");
    assertEquals("function local:G", f.location().graph());
  }

  @Test
  void referenceAttributesInFunctionBodiesAreCheckedByKind() {
    Node leaky = Node.builder("LeakyRelu").inputs("a").outputs("b")
        .attribute(new Attribute.RefAttr("alpha", AttributeKind.FLOAT, "slope", "")).build();
    Function fn = function("local", "L", List.of("a"), List.of("b"), List.of("slope"), List.of(leaky),
        List.of(new OpsetImport("", 17)));
    GraphBuilder g = GraphBuilder.named("g");
    String x = g.input("x", F);
    g.output(g.op("L").domain("local").inputs(x).attr("slope", 0.2f).output("y"), F);
    Model m = withLocal(g.build(), fn);
    assertClean(m);

    Node wrong = Node.builder("LeakyRelu").inputs("a").outputs("b")
        .attribute(new Attribute.RefAttr("alpha", AttributeKind.INT, "slope", "")).build();
    Function bad = function("local", "L", List.of("a"), List.of("b"), List.of("slope"), List.of(wrong),
        List.of(new OpsetImport("", 17)));
    assertOne(withLocal(m.graph(), bad), "op.attribute-type");
  }

  static Function function(String domain, String name, List<String> inputs, List<String> outputs,
      List<String> attributes, List<Node> nodes, List<OpsetImport> opsets) {
    return new Function(name, domain, "", inputs, outputs, attributes, List.of(), nodes, "", opsets,
        List.of(), List.of());
  }

  /** A model of {@code graph} at opset 17 that imports domain {@code local} and defines {@code f}. */
  static Model withLocal(Graph graph, Function f) {
    return GraphBuilder.model(graph, 17).toBuilder().opset("local", 1).function(f).build();
  }
}
