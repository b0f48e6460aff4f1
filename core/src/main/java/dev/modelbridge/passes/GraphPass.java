package dev.modelbridge.passes;

import dev.modelbridge.ir.Graph;

/**
 * One graph rewrite. A pass returns the graph it was given (the same instance) when it changes
 * nothing, so that a {@link PassManager} can repeat passes until none applies.
 */
public interface GraphPass {

  /** A short name for logs and tests. */
  String name();

  /** The rewritten graph, or {@code graph} itself when nothing applies. */
  Graph apply(Graph graph);
}
