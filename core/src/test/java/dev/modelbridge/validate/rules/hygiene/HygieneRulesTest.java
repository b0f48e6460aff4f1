package dev.modelbridge.validate.rules.hygiene;

import static dev.modelbridge.validate.RuleTester.at;
import static dev.modelbridge.validate.RuleTester.clean;
import static dev.modelbridge.validate.RuleTester.run;
import static dev.modelbridge.validate.RuleTester.single;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelbridge.build.GraphBuilder;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.Type;
import dev.modelbridge.ir.ValueInfo;
import dev.modelbridge.validate.Finding;
import dev.modelbridge.validate.Location;
import dev.modelbridge.validate.Rule;
import dev.modelbridge.validate.Severity;
import dev.modelbridge.validate.rules.HygieneRules;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hygiene warnings, with reads from nested graphs counted as uses. */
class HygieneRulesTest {
  private static final List<Rule> RULES = HygieneRules.all();
  private static final Type F = Type.tensor(ElementType.FLOAT, 2);

  private static Finding expect(Graph g, String rule, Location where) {
    Finding f = single(GraphBuilder.model(g, 13), RULES);
    assertEquals(rule, f.ruleId(), f::toString);
    assertEquals(Severity.WARNING, f.severity());
    assertEquals(where, f.location(), f::toString);
    return f;
  }

  /** x -> Relu -> If(c){then: Add(h, w); else: h} -> y, with w read only inside the branch. */
  private static GraphBuilder branchy() {
    GraphBuilder g = GraphBuilder.named("main");
    String x = g.input("x", F);
    String c = g.input("c", Type.tensor(ElementType.BOOL));
    String w = g.initializer(Tensor.ofFloats("w", new long[] {2}, 1f, 2f));
    String h = g.op("Relu").name("relu").inputs(x).output("h");
    GraphBuilder then = g.subgraph("then");
    then.output(then.op("Add").inputs(h, w).output("sum"));
    GraphBuilder els = g.subgraph("else");
    els.output(h);
    g.output(g.op("If").name("if").inputs(c).attr("then_branch", then.build()).attr("else_branch", els.build())
        .output("y"), F);
    return g;
  }

  @Test
  void usesFromNestedGraphsCount() {
    clean(GraphBuilder.model(branchy().build(), 13), RULES);
  }

  @Test
  void unusedInitializer() {
    GraphBuilder g = branchy();
    g.initializer(Tensor.ofFloats("spare", new long[] {1}, 0f));
    expect(g.build(), "hygiene.unused-initializer", at("main", "", "initializer 'spare'"));
  }

  @Test
  void unusedInput() {
    GraphBuilder g = branchy();
    g.input("ignored", F);
    expect(g.build(), "hygiene.unused-input", at("main", "", "input 2 'ignored'"));
  }

  @Test
  void inputWithAnInitializerDefaultIsReportedOnceAsAnInitializer() {
    Graph g = branchy().build().toBuilder().input(ValueInfo.of("d", F))
        .initializer(Tensor.ofFloats("d", new long[] {2}, 0f, 0f)).build();
    expect(g, "hygiene.unused-initializer", at("main", "", "initializer 'd'"));
  }

  @Test
  void deadNodesAreFoundWhateverTheirOrder() {
    GraphBuilder g = branchy();
    String t = g.op("Neg").name("neg").inputs("x").output("t");
    g.op("Abs").name("abs").inputs(t).output("u");
    List<Finding> f = run(GraphBuilder.model(g.build(), 13), RULES);
    assertEquals(List.of(at("main", "'neg' (Neg)", ""), at("main", "'abs' (Abs)", "")),
        f.stream().map(Finding::location).toList(), f::toString);
    f.forEach(x -> assertEquals("hygiene.dead-node", x.ruleId()));
  }

  @Test
  void deadNodeInsideABranch() {
    GraphBuilder g = GraphBuilder.named("main");
    String x = g.input("x", F);
    String c = g.input("c", Type.tensor(ElementType.BOOL));
    GraphBuilder then = g.subgraph("then");
    then.op("Neg").name("idle").inputs(x).output("idle_out");
    then.output(then.op("Abs").inputs(x).output("a"));
    GraphBuilder els = g.subgraph("else");
    els.output(x);
    g.output(g.op("If").name("if").inputs(c).attr("then_branch", then.build()).attr("else_branch", els.build())
        .output("y"), F);
    expect(g.build(), "hygiene.dead-node", at("main/if:then_branch", "'idle' (Neg)", ""));
  }

  @Test
  void duplicateNodeName() {
    Graph g = Graph.builder("main").input(ValueInfo.of("x", F))
        .node(Node.builder("Relu").name("n").inputs("x").outputs("t").build())
        .node(Node.builder("Neg").name("n").inputs("t").outputs("y").build())
        .output(ValueInfo.of("y", F)).build();
    expect(g, "hygiene.duplicate-node-name", at("main", "'n' (Neg)", "name"));
  }
}
