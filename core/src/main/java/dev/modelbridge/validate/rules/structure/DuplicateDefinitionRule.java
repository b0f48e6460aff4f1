package dev.modelbridge.validate.rules.structure;

import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.SparseTensor;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.ValueInfo;
import dev.modelbridge.validate.GraphScope;
import dev.modelbridge.validate.Location;
import dev.modelbridge.validate.Rule;
import dev.modelbridge.validate.RuleContext;
import dev.modelbridge.validate.Severity;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code graph.duplicate-definition}: single static assignment. A name is defined twice when two
 * graph inputs or two initializers share it, or a node output repeats a graph input, initializer,
 * another node output, or a value of an enclosing graph that the nested graph can see. A name that
 * is both a graph input and an initializer is allowed: the initializer is the input's default.
 */
public final class DuplicateDefinitionRule implements Rule {

  @Override
  public String id() {
    return "graph.duplicate-definition";
  }

  @Override
  public Severity defaultSeverity() {
    return Severity.ERROR;
  }

  @Override
  public String summary() {
    return "A value is assigned more than once: duplicate graph inputs or initializers, or a node"
        + " output that repeats an existing name (single static assignment).";
  }

  @Override
  public void check(RuleContext context) {
    for (GraphScope scope : context.graphs()) {
      checkScope(context, scope);
    }
  }

  private void checkScope(RuleContext context, GraphScope scope) {
    Location graph = scope.location();
    Map<String, String> inputs = new HashMap<>();
    List<ValueInfo> ins = scope.graph().inputs();
    for (int i = 0; i < ins.size(); i++) {
      String name = ins.get(i).name();
      if (!name.isEmpty() && inputs.putIfAbsent(name, "graph input " + i) != null) {
        context.report(graph.atField(GraphNames.field("input", i, name)),
            "graph input " + i + " '" + name + "' repeats " + inputs.get(name) + "; each input needs its own name");
      }
    }
    Map<String, String> constants = new HashMap<>();
    for (Tensor t : scope.graph().initializers()) {
      duplicateConstant(context, graph.atField(GraphNames.initializer(t)), "initializer", t.name(), constants);
    }
    for (SparseTensor t : scope.graph().sparseInitializers()) {
      duplicateConstant(context, graph.atField(GraphNames.sparseInitializer(t)), "sparse initializer",
          t.name(), constants);
    }
    shadowing(context, scope);
    Map<String, String> defined = new HashMap<>();
    constants.forEach((name, kind) -> defined.put(name, kind + " '" + name + "'"));
    defined.putAll(inputs);
    List<Node> nodes = scope.graph().nodes();
    for (int n = 0; n < nodes.size(); n++) {
      Node node = nodes.get(n);
      List<String> outs = node.outputs();
      for (int o = 0; o < outs.size(); o++) {
        String out = outs.get(o);
        if (out.isEmpty()) {
          continue;
        }
        String earlier = defined.get(out);
        if (earlier == null && scope.outerValues().contains(out)) {
          earlier = "a value of an enclosing graph (nested graphs must not shadow outer names)";
        }
        if (earlier != null) {
          context.report(scope.at(node).atField(GraphNames.field("output", o, out)),
              "output " + o + " '" + out + "' of " + node.opType() + " is already defined as " + earlier
                  + "; every value must be assigned exactly once");
        } else {
          defined.put(out, "output " + o + " of node #" + n + " " + node.label());
        }
      }
    }
  }

  /**
   * The inputs and initializers of a nested graph must not reuse a name the graph can see from
   * outside (IR.md: "variable shadowing is not allowed"). onnx.checker 1.12 does not check this; no
   * corpus model does it.
   */
  private static void shadowing(RuleContext context, GraphScope scope) {
    if (scope.outerValues().isEmpty()) {
      return;
    }
    List<ValueInfo> ins = scope.graph().inputs();
    for (int i = 0; i < ins.size(); i++) {
      if (scope.outerValues().contains(ins.get(i).name())) {
        context.report(scope.location().atField(GraphNames.field("input", i, ins.get(i).name())),
            "graph input " + i + " '" + ins.get(i).name() + "' shadows a value of an enclosing graph;"
                + " nested graphs must not reuse outer names");
      }
    }
    for (Tensor t : scope.graph().initializers()) {
      if (scope.outerValues().contains(t.name())) {
        context.report(scope.location().atField(GraphNames.initializer(t)), "initializer '" + t.name()
            + "' shadows a value of an enclosing graph; nested graphs must not reuse outer names");
      }
    }
  }

  private static void duplicateConstant(RuleContext context, Location at, String kind, String name,
      Map<String, String> constants) {
    if (name.isEmpty()) {
      return;
    }
    String earlier = constants.putIfAbsent(name, kind);
    if (earlier != null) {
      context.report(at, kind + " '" + name + "' has the same name as an earlier " + earlier
          + "; each initializer needs its own name");
    }
  }
}
