package dev.modelbridge.validate.rules.structure;

import dev.modelbridge.ir.Function;
import dev.modelbridge.ir.OpsetImport;
import dev.modelbridge.validate.Location;
import dev.modelbridge.validate.Rule;
import dev.modelbridge.validate.RuleContext;
import dev.modelbridge.validate.Severity;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code model.opset-duplicate}: the model, or one of its functions, imports one domain twice
 * ({@code ""} and {@code ai.onnx} count as one), which leaves the version of its ops ambiguous.
 */
public final class OpsetDuplicateRule implements Rule {

  @Override
  public String id() {
    return "model.opset-duplicate";
  }

  @Override
  public Severity defaultSeverity() {
    return Severity.ERROR;
  }

  @Override
  public String summary() {
    return "One domain is imported more than once.";
  }

  @Override
  public void check(RuleContext context) {
    check(context, context.fileLocation(), "the model", context.model().opsetImports());
    for (Function f : context.model().functions()) {
      String path = "function " + (f.domain().isEmpty() ? "" : f.domain() + ":") + f.name();
      check(context, context.fileLocation().inGraph(path), "the function", f.opsetImports());
    }
  }

  private void check(RuleContext context, Location at, String who, List<OpsetImport> opsets) {
    Map<String, Long> seen = new HashMap<>();
    for (OpsetImport o : opsets) {
      String domain = OpsetMissingRule.normalize(o.domain());
      Long earlier = seen.putIfAbsent(domain, o.version());
      if (earlier != null) {
        context.report(at.atField("opset_import '" + o.displayDomain() + "'"),
            who + " imports domain '" + o.displayDomain() + "' twice (versions " + earlier + " and "
                + o.version() + "); import each domain once");
      }
    }
  }
}
