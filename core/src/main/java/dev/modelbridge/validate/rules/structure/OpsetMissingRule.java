package dev.modelbridge.validate.rules.structure;

import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.OpsetImport;
import dev.modelbridge.validate.GraphScope;
import dev.modelbridge.validate.Rule;
import dev.modelbridge.validate.RuleContext;
import dev.modelbridge.validate.Severity;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code model.opset-missing}: a model of IR version 3 or later that imports no operator set, or
 * a node of a domain that its model (or, in a function body, its function) does not import.
 * {@code ""} and {@code ai.onnx} name the same default domain. Models before IR version 3 had no
 * imports and implicitly used version 1 of the default domain.
 */
public final class OpsetMissingRule implements Rule {

  @Override
  public String id() {
    return "model.opset-missing";
  }

  @Override
  public Severity defaultSeverity() {
    return Severity.ERROR;
  }

  @Override
  public String summary() {
    return "The model imports no operator set, or a node uses a domain that is not imported.";
  }

  @Override
  public void check(RuleContext context) {
    long ir = context.model().irVersion();
    if (ir >= 3 && context.model().opsetImports().isEmpty()) {
      context.report(context.fileLocation().atField("opset_import"),
          "the model imports no operator set; models of IR version 3 or later must import the default"
              + " domain (ai.onnx) at least");
      return;
    }
    // Reported once per domain and set of imports: once for the model, once per function.
    Set<String> reported = new HashSet<>();
    for (GraphScope scope : context.graphs()) {
      List<OpsetImport> opsets = scope.opsets();
      Set<String> imported = new HashSet<>();
      opsets.forEach(o -> imported.add(normalize(o.domain())));
      if (ir < 3 && context.model().opsetImports().isEmpty()) {
        imported.add("");
      }
      String owner = scope.function().map(f -> f.domain() + ":" + f.name()).orElse("model");
      for (Node node : scope.graph().nodes()) {
        String domain = normalize(node.domain());
        if (!imported.contains(domain) && reported.add(owner + "\u0000" + domain)) {
          String shown = domain.isEmpty() ? "ai.onnx" : domain;
          context.report(scope.at(node).atField("domain '" + shown + "'"),
              node.opType() + " is in domain '" + shown + "', which the "
                  + (scope.function().isPresent() ? "function" : "model") + " does not import;"
                  + " add an opset_import for '" + shown + "'");
        }
      }
    }
  }

  static String normalize(String domain) {
    return "ai.onnx".equals(domain) ? "" : domain;
  }
}
