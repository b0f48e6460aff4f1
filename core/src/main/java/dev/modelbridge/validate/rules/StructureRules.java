package dev.modelbridge.validate.rules;

import dev.modelbridge.validate.Rule;
import dev.modelbridge.validate.rules.structure.DuplicateDefinitionRule;
import dev.modelbridge.validate.rules.structure.FunctionInvalidRule;
import dev.modelbridge.validate.rules.structure.IrVersionRule;
import dev.modelbridge.validate.rules.structure.NotTopologicalRule;
import dev.modelbridge.validate.rules.structure.OpsetDuplicateRule;
import dev.modelbridge.validate.rules.structure.OpsetMissingRule;
import dev.modelbridge.validate.rules.structure.OutputUndefinedRule;
import dev.modelbridge.validate.rules.structure.UndefinedInputRule;
import dev.modelbridge.validate.rules.structure.MetadataDuplicateKeyRule;
import dev.modelbridge.validate.rules.structure.UnnamedValueRule;
import dev.modelbridge.validate.rules.structure.UntypedValueRule;
import java.util.List;

/** The structure rules: IR version, opset imports, single assignment, order, names, functions. */
public final class StructureRules {
  private StructureRules() {}

  public static List<Rule> all() {
    return List.of(
        new IrVersionRule(),
        new OpsetMissingRule(),
        new OpsetDuplicateRule(),
        new DuplicateDefinitionRule(),
        new UndefinedInputRule(),
        new NotTopologicalRule(),
        new OutputUndefinedRule(),
        new UnnamedValueRule(),
        new UntypedValueRule(),
        new MetadataDuplicateKeyRule(),
        new FunctionInvalidRule());
  }
}
