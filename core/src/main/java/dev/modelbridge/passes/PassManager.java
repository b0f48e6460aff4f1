package dev.modelbridge.passes;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Node;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs an ordered list of passes over a graph, again and again until a whole round changes
 * nothing (or a round limit guards against passes that undo each other), then over every nested
 * graph (If branches, Loop bodies) the same way.
 */
public final class PassManager {
  private static final int MAX_ROUNDS = 1_000;

  private final List<GraphPass> passes;

  public PassManager(List<GraphPass> passes) {
    this.passes = List.copyOf(passes);
  }

  /** The layout clean-up after an import that wrapped channels-last ops in Transposes. */
  public static PassManager transposeOptimizer() {
    return new PassManager(List.of(
        new FoldTransposePairs(),      // Transpose(Transpose(x)) -> x or one Transpose
        new SplitSharedTransposes(),   // one copy per reader, so that each copy can move
        new PushTransposeDown(),       // op(Transpose(x)) -> Transpose(op(x)) for element-wise ops
        new PushTransposeThroughAxisOps(), // Concat and Pad, their axes renumbered
        new FoldConstantTranspose(),   // Transpose(constant) -> transposed constant
        new RemoveDeadNodes()));       // what the rewrites left unused
  }

  /** The graph with every pass applied until none changes it. */
  public Graph run(Graph graph) {
    Graph g = graph;
    for (int round = 0; round < MAX_ROUNDS; round++) {
      Graph before = g;
      for (GraphPass p : passes) {
        g = p.apply(g);
      }
      if (g == before) {
        break;
      }
    }
    return nested(g);
  }

  private Graph nested(Graph g) {
    boolean changed = false;
    List<Node> nodes = new ArrayList<>();
    for (Node n : g.nodes()) {
      if (n.subgraphs().isEmpty()) {
        nodes.add(n);
        continue;
      }
      List<Attribute> attrs = new ArrayList<>();
      for (Attribute a : n.attributes()) {
        if (a instanceof Attribute.GraphAttr ga) {
          Graph body = run(ga.value());
          changed |= body != ga.value();
          attrs.add(new Attribute.GraphAttr(ga.name(), body, ga.docString()));
        } else {
          attrs.add(a);
        }
      }
      nodes.add(new Node(n.name(), n.domain(), n.opType(), n.overload(), n.inputs(), n.outputs(), attrs,
          n.docString(), n.metadata()));
    }
    return changed ? g.toBuilder().clearNodes().nodes(nodes).build() : g;
  }
}
