package dev.modelbridge.validate.rules.structure;

import dev.modelbridge.ir.Node;
import dev.modelbridge.validate.GraphScope;
import dev.modelbridge.validate.Rule;
import dev.modelbridge.validate.RuleContext;
import dev.modelbridge.validate.Severity;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code graph.undefined-input}: a node input that no graph input, initializer, node output or
 * enclosing graph defines anywhere. A name defined, but only later, is an ordering problem that
 * {@link NotTopologicalRule} reports instead. An empty name is an absent optional input.
 */
public final class UndefinedInputRule implements Rule {

  @Override
  public String id() {
    return "graph.undefined-input";
  }

  @Override
  public Severity defaultSeverity() {
    return Severity.ERROR;
  }

  @Override
  public String summary() {
    return "A node reads a value that is defined nowhere: not a graph input, initializer, node output"
        + " or value of an enclosing graph.";
  }

  @Override
  public void check(RuleContext context) {
    EnclosingNames enclosing = EnclosingNames.of(context);
    for (GraphScope scope : context.graphs()) {
      Set<String> defined = new HashSet<>(GraphNames.definedIn(scope.graph()));
      defined.addAll(scope.outerValues());
      defined.addAll(enclosing.around(scope.graph()));
      for (Node node : scope.graph().nodes()) {
        List<String> ins = node.inputs();
        for (int i = 0; i < ins.size(); i++) {
          String in = ins.get(i);
          if (!in.isEmpty() && !defined.contains(in)) {
            context.report(scope.at(node).atField(GraphNames.field("input", i, in)),
                "input " + i + " '" + in + "' of " + node.opType() + " is defined nowhere; expected a graph"
                    + " input, an initializer, an earlier node's output"
                    + (scope.isMain() ? "" : " or a value of an enclosing graph"));
          }
        }
      }
    }
  }
}
