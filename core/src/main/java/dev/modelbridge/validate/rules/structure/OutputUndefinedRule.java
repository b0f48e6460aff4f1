package dev.modelbridge.validate.rules.structure;

import dev.modelbridge.ir.ValueInfo;
import dev.modelbridge.validate.GraphScope;
import dev.modelbridge.validate.Rule;
import dev.modelbridge.validate.RuleContext;
import dev.modelbridge.validate.Severity;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code graph.output-undefined}: a graph output that nothing produces. A nested graph may output
 * a value of an enclosing graph directly; function outputs are checked by
 * {@link FunctionInvalidRule}.
 */
public final class OutputUndefinedRule implements Rule {

  @Override
  public String id() {
    return "graph.output-undefined";
  }

  @Override
  public Severity defaultSeverity() {
    return Severity.ERROR;
  }

  @Override
  public String summary() {
    return "A graph output is not produced by any node, graph input or initializer.";
  }

  @Override
  public void check(RuleContext context) {
    EnclosingNames enclosing = EnclosingNames.of(context);
    for (GraphScope scope : context.graphs()) {
      if (scope.function().isPresent() && scope.owner().isEmpty()) {
        continue;
      }
      Set<String> defined = new HashSet<>(GraphNames.definedIn(scope.graph()));
      defined.addAll(scope.outerValues());
      // Defined later in an enclosing graph: NotTopologicalRule reports the ordering.
      defined.addAll(enclosing.around(scope.graph()));
      List<ValueInfo> outs = scope.graph().outputs();
      for (int o = 0; o < outs.size(); o++) {
        String name = outs.get(o).name();
        if (!name.isEmpty() && !defined.contains(name)) {
          context.report(scope.location().atField(GraphNames.field("output", o, name)),
              "graph output " + o + " '" + name + "' is produced by no node, graph input or initializer");
        }
      }
    }
  }
}
