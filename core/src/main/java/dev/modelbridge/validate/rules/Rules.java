package dev.modelbridge.validate.rules;

import dev.modelbridge.validate.Rule;
import java.util.ArrayList;
import java.util.List;

/** Every validation rule, by family, in the order they run. */
public final class Rules {
  private Rules() {}

  public static List<Rule> all() {
    List<Rule> all = new ArrayList<>();
    all.addAll(StructureRules.all());
    all.addAll(OperatorRules.all());
    all.addAll(TensorRules.all());
    all.addAll(InferenceRules.all());
    all.addAll(HygieneRules.all());
    all.addAll(PolicyRules.all());
    return List.copyOf(all);
  }
}
