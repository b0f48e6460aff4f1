package dev.modelbridge.infer;

import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.OpsetImport;
import java.util.ArrayList;
import java.util.List;

/** Runs inference over a model: the main graph, and nested graphs as their nodes are met. */
final class ShapeInference {
  private final HandlerTable handlers;
  private final Model model;
  private final List<GraphTypes> results = new ArrayList<>();

  ShapeInference(HandlerTable handlers, Model model) {
    this.handlers = handlers;
    this.model = model;
  }

  ModelInference run() {
    GraphInference main = new GraphInference(this, model.graph(), "main");
    main.run(null, List.of());
    // The main graph's result is added last by run(); keep it first for callers.
    results.add(0, results.remove(results.size() - 1));
    return new ModelInference(results);
  }

  HandlerTable handlers() {
    return handlers;
  }

  void add(GraphTypes g) {
    results.add(g);
  }

  /** The imported version of {@code domain}, or 0 when not imported. */
  long opset(String domain) {
    String d = "ai.onnx".equals(domain) ? "" : domain;
    for (OpsetImport o : model.opsetImports()) {
      String od = "ai.onnx".equals(o.domain()) ? "" : o.domain();
      if (od.equals(d)) {
        return o.version();
      }
    }
    return 0;
  }

  /** Whether a model-local function defines this op, so schemas of the domain do not apply. */
  boolean isFunction(String domain, String op) {
    return model.functions().stream().anyMatch(f -> f.domain().equals(domain) && f.name().equals(op))
        && handlers.find(domain, op).isEmpty();
  }
}
