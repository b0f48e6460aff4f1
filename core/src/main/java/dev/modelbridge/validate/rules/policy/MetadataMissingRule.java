package dev.modelbridge.validate.rules.policy;

import dev.modelbridge.ir.StringPair;
import dev.modelbridge.validate.RuleContext;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code policy.metadata-missing}: a key the policy's {@code requiredMetadata} names is absent
 * from the model's metadata ({@code metadata_props} in ONNX), or has an empty value.
 */
public final class MetadataMissingRule extends PolicyRule {

  public MetadataMissingRule() {
    super("policy.metadata-missing", "A metadata key the policy requires is missing or empty.");
  }

  @Override
  public void check(RuleContext context) {
    Set<String> present = context.model().metadata().stream()
        .filter(e -> !e.value().isBlank())
        .map(StringPair::key)
        .collect(Collectors.toSet());
    for (String key : context.policy().requiredMetadata()) {
      if (!present.contains(key)) {
        context.report(context.fileLocation().atField("metadata '" + key + "'"),
            "metadata key '" + key + "' is required by the policy but "
                + (context.model().metadata().stream().anyMatch(e -> e.key().equals(key)) ? "empty" : "missing"));
      }
    }
  }
}
