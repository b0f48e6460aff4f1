package dev.modelbridge.validate.rules.ops;

import dev.modelbridge.ir.Function;
import dev.modelbridge.ir.Node;
import dev.modelbridge.schema.OpSchema;
import dev.modelbridge.schema.OpSchema.Arity;
import dev.modelbridge.schema.OpSchema.Parameter;
import dev.modelbridge.validate.RuleContext;
import dev.modelbridge.validate.Severity;
import java.util.List;

/**
 * {@code op.arity}: a node with more or fewer inputs or outputs than its schema allows, or with an
 * empty name where the schema requires a value. Calls of model-local functions may not pass more
 * inputs or take more outputs than the function declares.
 */
public final class ArityRule extends OperatorRule {
  public ArityRule() {
    super("op.arity", Severity.ERROR,
        "A node has a number of inputs or outputs outside its operator's range, or leaves a required one empty.");
  }

  @Override
  void check(RuleContext context, OpBinding b) {
    Node n = b.node();
    if (b.kind() == OpBinding.Kind.SCHEMA) {
      OpSchema s = b.schema().orElseThrow();
      count(context, b, "inputs", n.inputs().size(), s.inputArity(), s.label());
      count(context, b, "outputs", n.outputs().size(), s.outputArity(), s.label());
      required(context, b, true, n.inputs(), s.inputs());
      required(context, b, false, n.outputs(), s.outputs());
    } else if (b.kind() == OpBinding.Kind.FUNCTION) {
      Function f = b.function().orElseThrow();
      String label = "model-local function " + f.name();
      count(context, b, "inputs", n.inputs().size(), new Arity(0, f.inputs().size()), label);
      count(context, b, "outputs", n.outputs().size(), new Arity(0, f.outputs().size()), label);
    }
  }

  private static void count(RuleContext context, OpBinding b, String what, int count, Arity allowed, String label) {
    if (!allowed.allows(count)) {
      String range = allowed.min() == 0 && allowed.max() != Arity.UNBOUNDED ? "at most " + allowed.max()
          : allowed.toString();
      context.report(b.location(), b.node().opType() + " has " + count + " " + what + "; " + label
          + " takes " + range);
    }
  }

  /** ONNX leaves optional values out with an empty name; a single (required) one may not be empty. */
  private static void required(RuleContext context, OpBinding b, boolean inputs, List<String> names,
      List<Parameter> formal) {
    for (int i = 0; i < names.size() && i < formal.size(); i++) {
      Parameter p = formal.get(i);
      if (names.get(i).isEmpty() && p.option() == Parameter.Option.SINGLE) {
        String field = inputs ? inputField(i, "") : outputField(i, "");
        context.report(b.location().atField(field), (inputs ? "input " : "output ") + i + " ('" + p.name()
            + "') of " + b.node().opType() + " is empty, but " + b.schema().orElseThrow().label()
            + " requires it; name a value");
      }
    }
  }
}
