package dev.modelbridge.validate.rules.hygiene;

import dev.modelbridge.ir.SparseTensor;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.validate.GraphScope;
import dev.modelbridge.validate.Rule;
import dev.modelbridge.validate.RuleContext;
import dev.modelbridge.validate.Severity;
import java.util.Set;

/**
 * {@code hygiene.unused-initializer}: an initializer that no node (of its graph or of a graph
 * nested in it) reads and that is not a graph output: dead weight in the file.
 */
public final class UnusedInitializerRule implements Rule {

  @Override
  public String id() {
    return "hygiene.unused-initializer";
  }

  @Override
  public Severity defaultSeverity() {
    return Severity.WARNING;
  }

  @Override
  public String summary() {
    return "An initializer is never read.";
  }

  @Override
  public void check(RuleContext context) {
    for (GraphScope scope : context.graphs()) {
      if (scope.graph().initializers().isEmpty() && scope.graph().sparseInitializers().isEmpty()) {
        continue;
      }
      Set<String> read = ReadNames.of(context, scope);
      for (Tensor t : scope.graph().initializers()) {
        if (!t.name().isEmpty() && !read.contains(t.name())) {
          context.report(scope.location().atField("initializer '" + t.name() + "'"),
              "initializer '" + t.name() + "' (" + t.elementType() + java.util.Arrays.toString(t.dims())
                  + ") is never read by a node or a graph output; it can be removed");
        }
      }
      for (SparseTensor t : scope.graph().sparseInitializers()) {
        if (!t.name().isEmpty() && !read.contains(t.name())) {
          context.report(scope.location().atField("sparse initializer '" + t.name() + "'"),
              "sparse initializer '" + t.name() + "' is never read by a node or a graph output; it can be removed");
        }
      }
    }
  }
}
