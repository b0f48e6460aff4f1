package dev.modelbridge.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.build.GraphBuilder;
import dev.modelbridge.ir.GraphIndex.Producer;
import dev.modelbridge.ir.GraphIndex.Use;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GraphIndexTest {
  private static final Type F = Type.tensor(ElementType.FLOAT, 2);

  /** x, w -> MatMul -> If(c) { then: Add(h, w) with a nested Loop body reading x; else: h }. */
  private static Graph graphWithBranches() {
    GraphBuilder g = GraphBuilder.named("main");
    String x = g.input("x", F);
    String c = g.input("c", Type.tensor(ElementType.BOOL));
    String w = g.initializer(Tensor.ofFloats("w", new long[] {2}, 1f, 2f));
    String h = g.op("MatMul").inputs(x, w).output("h");
    GraphBuilder then = g.subgraph("then");
    String local = then.op("Add").inputs(h, w).output("local");
    GraphBuilder body = then.subgraph("body");
    body.output(body.op("Mul").inputs(local, x).output("deep"));
    then.output(then.op("Loop").inputs("", "").attr("body", body.build()).output("looped"));
    GraphBuilder els = g.subgraph("else");
    els.output(h); // a branch may output an outer value directly
    g.op("If").inputs(c).attr("then_branch", then.build()).attr("else_branch", els.build()).output("r");
    g.output("r", F);
    return g.build();
  }

  @Test
  void producersOfInputsInitializersAndNodeOutputs() {
    GraphIndex idx = GraphIndex.of(graphWithBranches());
    assertEquals(Optional.of(new Producer.GraphInput(0)), idx.producer("x"));
    assertEquals(Optional.of(new Producer.GraphInput(1)), idx.producer("c"));
    assertEquals(Optional.of(new Producer.Initializer(0)), idx.producer("w"));
    assertEquals(Optional.of(new Producer.NodeOutput(0, 0)), idx.producer("h"));
    assertEquals(Optional.of(new Producer.NodeOutput(1, 0)), idx.producer("r"));
    assertEquals("MatMul", idx.producerNode("h").orElseThrow().opType());
    assertEquals(Optional.empty(), idx.producerNode("x"));
    // Values defined only inside a subgraph are not this graph's.
    assertEquals(Optional.empty(), idx.producer("local"));
    assertEquals(Optional.empty(), idx.producer(""));
  }

  @Test
  void usesIncludeOuterScopeReadsFromNestedGraphs() {
    Graph graph = graphWithBranches();
    GraphIndex idx = GraphIndex.of(graph);

    List<Use> ofX = idx.uses("x");
    assertEquals(2, ofX.size());
    assertEquals(new Use(0, 0, graph.nodes().get(0), false), ofX.get(0));
    Use deep = ofX.get(1);
    assertEquals(1, deep.node()); // the If node, owner of the branch holding the Loop body
    assertEquals(1, deep.input());
    assertEquals("Mul", deep.reader().opType());
    assertTrue(deep.nested());

    List<Use> ofH = idx.uses("h");
    assertEquals(1, ofH.size());
    assertEquals("Add", ofH.get(0).reader().opType());
    assertTrue(ofH.get(0).nested());

    // "local" is defined in the then branch, so the Loop body's read of it is not an outer use.
    assertEquals(List.of(), idx.uses("local"));
    assertEquals(List.of(new Use(1, 0, graph.nodes().get(1), false)), idx.uses("c"));
    assertTrue(idx.isGraphOutput("r"));
    assertFalse(idx.isGraphOutput("h"));
    assertEquals(Set.of(), idx.outerScopeNames());
  }

  @Test
  void aSubgraphIndexListsItsOuterScopeNames() {
    Graph thenBranch = graphWithBranches().nodes().get(1).subgraphs().get(0);
    GraphIndex idx = GraphIndex.of(thenBranch);
    assertEquals(List.of("h", "w", "x"), List.copyOf(idx.outerScopeNames()));
    assertEquals(Optional.empty(), idx.producer("h"));
    assertEquals(1, idx.uses("local").size());
    assertTrue(idx.uses("local").get(0).nested());
  }

  @Test
  void topologicalOrderChecks() {
    Graph sorted = graphWithBranches();
    assertTrue(GraphIndex.of(sorted).isTopologicallySorted());
    assertEquals(Optional.of(List.of(0, 1)), GraphIndex.of(sorted).topologicalOrder());

    // Reversed: the If (now first) reads h, from its subgraphs only, which MatMul makes later.
    Graph reversed = sorted.toBuilder().clearNodes()
        .node(sorted.nodes().get(1)).node(sorted.nodes().get(0)).build();
    GraphIndex idx = GraphIndex.of(reversed);
    assertEquals(OptionalInt.of(0), idx.firstOutOfOrder());
    assertFalse(idx.isTopologicallySorted());
    assertEquals(Optional.of(List.of(1, 0)), idx.topologicalOrder());
  }

  @Test
  void aBranchOutputtingAnOuterValueOrdersItsOwner() {
    GraphBuilder g = GraphBuilder.named("g");
    GraphBuilder els = g.subgraph("else");
    els.output("v");
    GraphBuilder then = g.subgraph("then");
    then.output("v");
    g.op("If").inputs("c").attr("then_branch", then.build()).attr("else_branch", els.build()).output("r");
    g.op("Relu").inputs("x").output("v");
    GraphIndex idx = GraphIndex.of(g.build());
    assertEquals(OptionalInt.of(0), idx.firstOutOfOrder());
    assertEquals(Optional.of(List.of(1, 0)), idx.topologicalOrder());
    assertEquals(List.of(), idx.uses("v"));
  }

  @Test
  void cyclesHaveNoTopologicalOrder() {
    Graph cyclic = Graph.builder("c")
        .node(Node.builder("Relu").inputs("b").outputs("a").build())
        .node(Node.builder("Relu").inputs("a").outputs("b").build())
        .build();
    GraphIndex idx = GraphIndex.of(cyclic);
    assertEquals(OptionalInt.of(0), idx.firstOutOfOrder());
    assertEquals(Optional.empty(), idx.topologicalOrder());
  }

  @Test
  void anInputWithAnInitializerDefaultIsProducedByTheInput() {
    Graph g = Graph.builder("g")
        .input(ValueInfo.of("w", F))
        .initializer(Tensor.ofFloats("w", new long[] {2}, 0f, 0f))
        .node(Node.builder("Relu").inputs("w", "", "dangling").outputs("y").build())
        .build();
    GraphIndex idx = GraphIndex.of(g);
    assertEquals(Optional.of(new Producer.GraphInput(0)), idx.producer("w"));
    assertEquals(List.of(), idx.uses(""));
    assertEquals(Set.of("dangling"), idx.outerScopeNames());
  }
}
