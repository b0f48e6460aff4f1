package dev.modelbridge.validate.rules.structure;

import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.SparseTensor;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.validate.GraphScope;
import dev.modelbridge.validate.Location;
import dev.modelbridge.validate.Rule;
import dev.modelbridge.validate.RuleContext;
import dev.modelbridge.validate.Severity;

/**
 * {@code graph.unnamed-value}: a graph input, output or initializer with an empty name, which no
 * node can refer to, or a graph without a name (onnx.checker requires one for every graph).
 */
public final class UnnamedValueRule implements Rule {

  @Override
  public String id() {
    return "graph.unnamed-value";
  }

  @Override
  public Severity defaultSeverity() {
    return Severity.ERROR;
  }

  @Override
  public String summary() {
    return "A graph, or one of its inputs, outputs or initializers, has an empty name.";
  }

  @Override
  public void check(RuleContext context) {
    for (GraphScope scope : context.graphs()) {
      Graph g = scope.graph();
      Location at = scope.location();
      boolean functionBody = scope.function().isPresent() && scope.owner().isEmpty();
      if (!functionBody && g.name().isEmpty()) {
        context.report(at, "the graph has no name; every graph needs one");
      }
      for (int i = 0; i < g.inputs().size(); i++) {
        if (g.inputs().get(i).name().isEmpty()) {
          context.report(at.atField("input " + i), "graph input " + i + " has an empty name");
        }
      }
      for (int o = 0; o < g.outputs().size(); o++) {
        if (g.outputs().get(o).name().isEmpty()) {
          context.report(at.atField("output " + o), "graph output " + o + " has an empty name");
        }
      }
      for (int i = 0; i < g.initializers().size(); i++) {
        Tensor t = g.initializers().get(i);
        if (t.name().isEmpty()) {
          context.report(at.atField("initializer " + i), "initializer " + i + " (" + t
              + ") has an empty name, so no node can read it");
        }
      }
      for (int i = 0; i < g.sparseInitializers().size(); i++) {
        SparseTensor t = g.sparseInitializers().get(i);
        if (t.name().isEmpty()) {
          context.report(at.atField("sparse initializer " + i),
              "sparse initializer " + i + " has an empty name, so no node can read it");
        }
      }
    }
  }
}
