package dev.modelbridge.validate.rules.structure;

import dev.modelbridge.build.GraphBuilder;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.Type;
import dev.modelbridge.ir.ValueInfo;

/** Tiny graphs for the structure rule tests. */
final class StructureFixtures {
  static final Type F = Type.tensor(ElementType.FLOAT, 2);

  private StructureFixtures() {}

  /** x -> Relu -> h; h + w -> y, with w an initializer: valid at opset 13, IR 7. */
  static Graph valid() {
    GraphBuilder g = GraphBuilder.named("main");
    String x = g.input("x", F);
    String w = g.initializer(Tensor.ofFloats("w", new long[] {2}, 1f, 2f));
    String h = g.op("Relu").name("relu").inputs(x).output("h");
    g.output(g.op("Add").name("add").inputs(h, w).output("y"), F);
    return g.build();
  }

  static Model model(Graph g) {
    return GraphBuilder.model(g, 13);
  }

  static Node node(String name, String op, String[] inputs, String... outputs) {
    return Node.builder(op).name(name).inputs(inputs).outputs(outputs).build();
  }

  static String[] in(String... names) {
    return names;
  }

  /** A graph of the given nodes with input x and output y (both float[2]). */
  static Graph graph(Node... nodes) {
    Graph.Builder b = Graph.builder("main").input(ValueInfo.of("x", F)).output(ValueInfo.of("y", F));
    for (Node n : nodes) {
      b.node(n);
    }
    return b.build();
  }
}
