package dev.modelbridge.validate.rules.structure;

import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.ValueInfo;
import dev.modelbridge.validate.GraphScope;
import dev.modelbridge.validate.Rule;
import dev.modelbridge.validate.RuleContext;
import dev.modelbridge.validate.Severity;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code model.ir-version}: the IR version is missing, newer than any ONNX release defines, or too
 * low for a feature the model uses (see {@link IrFeatures}). Also the two rules of the oldest IR
 * versions that onnx.checker enforces: no opset imports before IR version 3, and, up to IR
 * version 3, every initializer must also be a graph input.
 */
public final class IrVersionRule implements Rule {
  /** The newest IR version this validator knows (ONNX 1.20). */
  public static final long NEWEST_KNOWN = 13;

  @Override
  public String id() {
    return "model.ir-version";
  }

  @Override
  public Severity defaultSeverity() {
    return Severity.ERROR;
  }

  @Override
  public String summary() {
    return "The IR version is missing, unknown, or too low for a feature the model uses.";
  }

  @Override
  public void check(RuleContext context) {
    long ir = context.model().irVersion();
    if (ir <= 0) {
      context.report(context.fileLocation().atField("ir_version"),
          "the model has no IR version (ir_version is " + ir + "); every model must set it");
      return;
    }
    if (ir > NEWEST_KNOWN) {
      context.report(context.fileLocation().atField("ir_version"),
          "IR version " + ir + " is newer than the newest known IR version (" + NEWEST_KNOWN + ")");
      return;
    }
    if (ir < 3 && !context.model().opsetImports().isEmpty()) {
      context.report(context.fileLocation().atField("opset_import"),
          "IR version " + ir + " models cannot import operator sets; opset_import came with IR version 3");
    }
    for (IrFeatures.Use use : IrFeatures.of(context)) {
      if (use.minIr() > ir) {
        context.report(use.where(), "uses " + use.feature() + ", which needs IR version " + use.minIr()
            + " or later; the model declares IR version " + ir);
      }
    }
    if (ir <= 3) {
      for (GraphScope scope : context.graphs()) {
        if (scope.function().isEmpty() || scope.owner().isPresent()) {
          initializersAsInputs(context, scope, ir);
        }
      }
    }
  }

  private void initializersAsInputs(RuleContext context, GraphScope scope, long ir) {
    Graph g = scope.graph();
    Set<String> inputs = g.inputs().stream().map(ValueInfo::name).collect(Collectors.toSet());
    List<Tensor> missing = g.initializers().stream()
        .filter(t -> !t.name().isEmpty() && !inputs.contains(t.name())).toList();
    if (!missing.isEmpty()) {
      Tensor t = missing.get(0);
      String more = missing.size() > 1 ? " (and " + (missing.size() - 1) + " more initializers)" : "";
      context.report(scope.location().atField(GraphNames.initializer(t)),
          "initializer '" + t.name() + "'" + more + " is not a graph input, which IR version " + ir
              + " requires; IR version 4 lifted this rule");
    }
  }
}
