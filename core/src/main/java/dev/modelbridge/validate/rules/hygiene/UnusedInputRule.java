package dev.modelbridge.validate.rules.hygiene;

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
 * {@code hygiene.unused-input}: an input of the main graph that nothing reads, which callers must
 * still feed. Only the main graph: the inputs of Loop and Scan bodies are fixed by position, so an
 * unread one (an iteration count, a condition) is normal. An input that is also an initializer is
 * left to {@link UnusedInitializerRule}.
 */
public final class UnusedInputRule implements Rule {

  @Override
  public String id() {
    return "hygiene.unused-input";
  }

  @Override
  public Severity defaultSeverity() {
    return Severity.WARNING;
  }

  @Override
  public String summary() {
    return "An input of the main graph is never read.";
  }

  @Override
  public void check(RuleContext context) {
    for (GraphScope scope : context.graphs()) {
      if (!scope.isMain()) {
        continue;
      }
      Graph g = scope.graph();
      Set<String> read = ReadNames.of(context, scope);
      Set<String> constants = g.initializers().stream().map(Tensor::name).collect(Collectors.toSet());
      List<ValueInfo> inputs = g.inputs();
      for (int i = 0; i < inputs.size(); i++) {
        String name = inputs.get(i).name();
        if (!name.isEmpty() && !read.contains(name) && !constants.contains(name)) {
          context.report(scope.location().atField("input " + i + " '" + name + "'"),
              "graph input " + i + " '" + name + "' is never read; callers must feed a value that is ignored");
        }
      }
    }
  }
}
