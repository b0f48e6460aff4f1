package dev.modelbridge.validate.rules.structure;

import dev.modelbridge.ir.StringPair;
import dev.modelbridge.validate.Rule;
import dev.modelbridge.validate.RuleContext;
import dev.modelbridge.validate.Severity;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code model.metadata-duplicate-key}: a key given twice in the model's metadata properties. The
 * list stands for a map; tools that read it as one keep only one of the values, silently.
 */
public final class MetadataDuplicateKeyRule implements Rule {

  @Override
  public String id() {
    return "model.metadata-duplicate-key";
  }

  @Override
  public Severity defaultSeverity() {
    return Severity.ERROR;
  }

  @Override
  public String summary() {
    return "A key appears more than once in the model's metadata properties.";
  }

  @Override
  public void check(RuleContext context) {
    Set<String> seen = new HashSet<>();
    for (StringPair p : context.model().metadata()) {
      if (!seen.add(p.key())) {
        context.report(context.fileLocation().atField("metadata '" + p.key() + "'"),
            "metadata key '" + p.key() + "' is given more than once; readers keep only one value");
      }
    }
  }
}
