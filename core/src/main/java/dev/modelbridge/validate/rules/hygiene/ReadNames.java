package dev.modelbridge.validate.rules.hygiene;

import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.StringPair;
import dev.modelbridge.ir.TrainingInfo;
import dev.modelbridge.validate.GraphScope;
import dev.modelbridge.validate.RuleContext;
import dev.modelbridge.validate.rules.structure.GraphNames;
import java.util.HashSet;
import java.util.Set;

/** The names a graph reads: node inputs, reads from its nested graphs, and its outputs. */
final class ReadNames {
  private ReadNames() {}

  static Set<String> of(RuleContext context, GraphScope scope) {
    Graph g = scope.graph();
    Set<String> read = new HashSet<>();
    for (Node n : g.nodes()) {
      read.addAll(n.inputs());
      read.addAll(GraphNames.outerReads(n));
    }
    g.outputs().forEach(o -> read.add(o.name()));
    if (scope.isMain()) {
      // Training steps assign to the main graph's initializers by name: those are uses too.
      for (TrainingInfo t : context.model().trainingInfo()) {
        t.initializationBinding().stream().map(StringPair::key).forEach(read::add);
        t.updateBinding().stream().map(StringPair::key).forEach(read::add);
        t.algorithm().ifPresent(a -> read.addAll(GraphNames.outerReads(a)));
        t.initialization().ifPresent(a -> read.addAll(GraphNames.outerReads(a)));
      }
    }
    read.remove("");
    return read;
  }
}
