package dev.modelbridge.validate.rules.structure;

import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Type;
import dev.modelbridge.ir.ValueInfo;
import dev.modelbridge.validate.GraphScope;
import dev.modelbridge.validate.Rule;
import dev.modelbridge.validate.RuleContext;
import dev.modelbridge.validate.Severity;
import java.util.List;

/**
 * {@code graph.untyped-value}: an input or output of the main graph without a type, or a tensor type
 * without an element type. The IR requires both for the top-level graph, since callers must know
 * what to feed and what they get. (A tensor type without a shape is legal: unknown rank.)
 */
public final class UntypedValueRule implements Rule {

  @Override
  public String id() {
    return "graph.untyped-value";
  }

  @Override
  public Severity defaultSeverity() {
    return Severity.ERROR;
  }

  @Override
  public String summary() {
    return "An input or output of the main graph has no type, or a tensor type without an element type.";
  }

  @Override
  public void check(RuleContext context) {
    for (GraphScope scope : context.graphs()) {
      if (!scope.isMain()) {
        continue;
      }
      Graph g = scope.graph();
      check(context, scope, g, g.inputs(), "input");
      check(context, scope, g, g.outputs(), "output");
    }
  }

  private static void check(RuleContext context, GraphScope scope, Graph g, List<ValueInfo> values, String kind) {
    for (int i = 0; i < values.size(); i++) {
      ValueInfo v = values.get(i);
      if ("input".equals(kind) && g.initializer(v.name()).isPresent()) {
        continue; // An input backed by an initializer takes the initializer's type.
      }
      String field = kind + " " + i + " '" + v.name() + "'";
      if (v.type().isEmpty()) {
        context.report(scope.location().atField(field), "graph " + field + " has no type");
      } else if (v.type().get() instanceof Type.TensorType t && t.elementType() == ElementType.UNDEFINED) {
        context.report(scope.location().atField(field), "graph " + field + " is a tensor without an element type");
      }
    }
  }
}
