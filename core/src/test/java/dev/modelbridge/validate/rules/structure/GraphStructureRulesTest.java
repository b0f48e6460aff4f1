package dev.modelbridge.validate.rules.structure;

import static dev.modelbridge.validate.RuleTester.at;
import static dev.modelbridge.validate.RuleTester.clean;
import static dev.modelbridge.validate.RuleTester.single;
import static dev.modelbridge.validate.rules.structure.StructureFixtures.F;
import static dev.modelbridge.validate.rules.structure.StructureFixtures.graph;
import static dev.modelbridge.validate.rules.structure.StructureFixtures.in;
import static dev.modelbridge.validate.rules.structure.StructureFixtures.model;
import static dev.modelbridge.validate.rules.structure.StructureFixtures.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.build.GraphBuilder;
import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.Type;
import dev.modelbridge.ir.ValueInfo;
import dev.modelbridge.validate.Finding;
import dev.modelbridge.validate.Rule;
import dev.modelbridge.validate.rules.StructureRules;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The graph rules of the structure family, each on a tiny graph: valid, then broken one way. */
class GraphStructureRulesTest {
  private static final List<Rule> RULES = StructureRules.all();

  private static void expect(Graph g, String rule, String graph, String node, String field) {
    Finding f = single(model(g), RULES);
    assertEquals(rule, f.ruleId(), f::toString);
    assertEquals(at(graph, node, field), f.location(), f::toString);
  }

  @Test
  void validGraphHasNoFindings() {
    clean(model(StructureFixtures.valid()), RULES);
  }

  @Test
  void emptyInputNameIsAnAbsentOptionalInput() {
    clean(model(graph(node("clip", "Clip", in("x", "", ""), "y"))), RULES);
  }

  @Test
  void undefinedInput() {
    Graph g = graph(node("add", "Add", in("x", "nowhere"), "y"));
    expect(g, "graph.undefined-input", "main", "'add' (Add)", "input 1 'nowhere'");
  }

  @Test
  void outOfOrderNodesAreNotTopologicalNotUndefined() {
    Graph g = graph(node("b", "Relu", in("t"), "y"), node("a", "Relu", in("x"), "t"));
    expect(g, "graph.not-topological", "main", "'b' (Relu)", "input 0 't'");
  }

  @Test
  void nodeReadingItsOwnOutputIsNotTopological() {
    Graph g = graph(node("loop", "Add", in("x", "y"), "y"));
    expect(g, "graph.not-topological", "main", "'loop' (Add)", "input 1 'y'");
  }

  @Test
  void nestedReadOfALaterOuterValueIsReportedAtTheOwner() {
    GraphBuilder then = GraphBuilder.named("then");
    then.output(then.op("Relu").inputs("late").output("r"));
    GraphBuilder els = GraphBuilder.named("else");
    els.output(els.op("Relu").inputs("x").output("s"));
    Node iff = Node.builder("If").name("if").inputs("c").outputs("y")
        .attribute(Attribute.of("then_branch", then.build()))
        .attribute(Attribute.of("else_branch", els.build())).build();
    Graph g = graph(iff, node("late", "Relu", in("x"), "late")).toBuilder()
        .input(ValueInfo.of("c", Type.tensor(ElementType.BOOL))).build();
    expect(g, "graph.not-topological", "main", "'if' (If)", "attribute 'then_branch'");
  }

  @Test
  void nestedGraphsReadEarlierOuterValues() {
    GraphBuilder g = GraphBuilder.named("main");
    String x = g.input("x", F);
    String c = g.input("c", Type.tensor(ElementType.BOOL));
    String h = g.op("Relu").inputs(x).output("h");
    GraphBuilder then = g.subgraph("then");
    then.output(then.op("Neg").inputs(h).output("neg"));
    GraphBuilder els = g.subgraph("else");
    els.output(h); // a branch may output an outer value directly
    g.output(g.op("If").inputs(c).attr("then_branch", then.build()).attr("else_branch", els.build())
        .output("y"), F);
    clean(model(g.build()), RULES);
  }

  @Test
  void undefinedNameInsideANestedGraph() {
    GraphBuilder body = GraphBuilder.named("then");
    body.output(body.op("Relu").name("inner").inputs("ghost").output("r"));
    GraphBuilder els = GraphBuilder.named("else");
    els.output("x");
    Node iff = Node.builder("If").name("if").inputs("c").outputs("y")
        .attribute(Attribute.of("then_branch", body.build()))
        .attribute(Attribute.of("else_branch", els.build())).build();
    Graph g = graph(iff).toBuilder().input(ValueInfo.of("c", Type.tensor(ElementType.BOOL))).build();
    expect(g, "graph.undefined-input", "main/if:then_branch", "'inner' (Relu)", "input 0 'ghost'");
  }

  @Test
  void duplicateNodeOutput() {
    Graph g = graph(node("a", "Relu", in("x"), "y"), node("b", "Neg", in("x"), "y"));
    expect(g, "graph.duplicate-definition", "main", "'b' (Neg)", "output 0 'y'");
  }

  @Test
  void nodeOutputThatRepeatsAGraphInput() {
    Graph g = graph(node("a", "Relu", in("x"), "x"), node("b", "Neg", in("x"), "y"));
    expect(g, "graph.duplicate-definition", "main", "'a' (Relu)", "output 0 'x'");
  }

  @Test
  void duplicateGraphInputs() {
    Graph g = graph(node("a", "Relu", in("x"), "y")).toBuilder().input(ValueInfo.of("x", F)).build();
    expect(g, "graph.duplicate-definition", "main", "", "input 1 'x'");
  }

  @Test
  void duplicateInitializers() {
    Tensor w = Tensor.ofFloats("w", new long[] {2}, 1f, 2f);
    Graph g = graph(node("a", "Add", in("x", "w"), "y")).toBuilder().initializer(w).initializer(w).build();
    expect(g, "graph.duplicate-definition", "main", "", "initializer 'w'");
  }

  @Test
  void inputWithAnInitializerDefaultIsAllowed() {
    Tensor w = Tensor.ofFloats("w", new long[] {2}, 1f, 2f);
    Graph g = graph(node("a", "Add", in("x", "w"), "y")).toBuilder()
        .input(ValueInfo.of("w", F)).initializer(w).build();
    clean(model(g), RULES);
  }

  @Test
  void nestedNodeOutputMustNotShadowAnOuterValue() {
    GraphBuilder then = GraphBuilder.named("then");
    then.op("Relu").name("shadow").inputs("x").output("h");
    Graph thenGraph = then.build().toBuilder().output(ValueInfo.untyped("h")).build();
    GraphBuilder els = GraphBuilder.named("else");
    els.output("x");
    Node iff = Node.builder("If").name("if").inputs("c").outputs("y")
        .attribute(Attribute.of("then_branch", thenGraph))
        .attribute(Attribute.of("else_branch", els.build())).build();
    Graph g = graph(node("a", "Relu", in("x"), "h"), iff).toBuilder()
        .input(ValueInfo.of("c", Type.tensor(ElementType.BOOL))).build();
    expect(g, "graph.duplicate-definition", "main/if:then_branch", "'shadow' (Relu)", "output 0 'h'");
  }

  @Test
  void nestedInputMustNotShadowAnOuterValue() {
    Graph body = Graph.builder("body").input(ValueInfo.untyped("i")).input(ValueInfo.untyped("x"))
        .node(node("inner", "Identity", in("x"), "out")).output(ValueInfo.untyped("out")).build();
    Node loop = Node.builder("Loop").name("loop").inputs("", "").outputs("y")
        .attribute(Attribute.of("body", body)).build();
    expect(graph(loop), "graph.duplicate-definition", "main/loop:body", "", "input 1 'x'");
  }

  @Test
  void outputThatNothingProduces() {
    Graph g = graph(node("a", "Relu", in("x"), "t"));
    expect(g, "graph.output-undefined", "main", "", "output 0 'y'");
  }

  @Test
  void graphOutputMayBeAGraphInput() {
    Graph g = Graph.builder("main").input(ValueInfo.of("x", F)).output(ValueInfo.of("x", F)).build();
    clean(model(g), RULES);
  }

  @Test
  void unnamedInitializer() {
    Graph g = graph(node("a", "Relu", in("x"), "y")).toBuilder()
        .initializer(Tensor.ofFloats("", new long[] {1}, 1f)).build();
    expect(g, "graph.unnamed-value", "main", "", "initializer 0");
  }

  @Test
  void unnamedOutputAndGraph() {
    Graph unnamedOut = Graph.builder("main").input(ValueInfo.of("x", F))
        .node(node("a", "Relu", in("x"), "y")).output(ValueInfo.of("y", F)).output(ValueInfo.of("", F)).build();
    expect(unnamedOut, "graph.unnamed-value", "main", "", "output 1");
    Graph unnamedGraph = graph(node("a", "Relu", in("x"), "y")).toBuilder().name("").build();
    Finding f = single(model(unnamedGraph), RULES);
    assertEquals("graph.unnamed-value", f.ruleId());
    assertTrue(f.message().contains("no name"), f.message());
  }
}
