package dev.modelbridge.validate.rules.structure;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.Function;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Node;
import dev.modelbridge.validate.GraphScope;
import dev.modelbridge.validate.Location;
import dev.modelbridge.validate.Rule;
import dev.modelbridge.validate.RuleContext;
import dev.modelbridge.validate.Severity;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code function.invalid}: problems of model-local functions: no name, two functions with one
 * (domain, name, overload), an output that the body does not produce, an attribute declared twice
 * or referenced by the body without being declared, and functions that call themselves (ONNX
 * functions cannot recurse). Values of the body are checked by the graph rules.
 */
public final class FunctionInvalidRule implements Rule {

  @Override
  public String id() {
    return "function.invalid";
  }

  @Override
  public Severity defaultSeverity() {
    return Severity.ERROR;
  }

  @Override
  public String summary() {
    return "A model-local function is malformed: duplicate identity, unproduced outputs, undeclared"
        + " attributes or recursion.";
  }

  @Override
  public void check(RuleContext context) {
    Map<String, Function> byId = new HashMap<>();
    for (GraphScope scope : context.graphs()) {
      if (scope.owner().isPresent() || scope.function().isEmpty()) {
        continue;
      }
      Function f = scope.function().get();
      Location at = scope.location();
      if (f.name().isEmpty()) {
        context.report(at.atField("name"), "a model-local function has no name, so no node can call it");
      }
      if (byId.putIfAbsent(key(f.domain(), f.name(), f.overload()), f) != null) {
        context.report(at, "function '" + display(f) + "' is defined twice; (domain, name, overload) must"
            + " identify one function");
      }
      outputs(context, f, at);
      attributes(context, f, at);
    }
    recursion(context, byId);
  }

  private static void outputs(RuleContext context, Function f, Location at) {
    Set<String> produced = new HashSet<>(f.inputs());
    f.nodes().forEach(n -> produced.addAll(n.outputs()));
    for (int o = 0; o < f.outputs().size(); o++) {
      String out = f.outputs().get(o);
      if (out.isEmpty() || !produced.contains(out)) {
        context.report(at.atField(GraphNames.field("output", o, out)), "function output " + o + " '" + out
            + "' is produced by no node of the function body");
      }
    }
  }

  private static void attributes(RuleContext context, Function f, Location at) {
    Set<String> declared = new HashSet<>();
    List<String> all = new java.util.ArrayList<>(f.attributeNames());
    f.attributeDefaults().forEach(a -> all.add(a.name()));
    for (String name : all) {
      if (!declared.add(name)) {
        context.report(at.atField("attribute '" + name + "'"),
            "function attribute '" + name + "' is declared twice");
      }
    }
    checkReferences(context, f.nodes(), declared, at);
  }

  private static void checkReferences(RuleContext context, List<Node> nodes, Set<String> declared,
      Location at) {
    for (Node n : nodes) {
      for (Attribute a : n.attributes()) {
        if (a instanceof Attribute.RefAttr ref && !declared.contains(ref.referencedName())) {
          context.report(at.atNode(n.label()).atField("attribute '" + a.name() + "'"),
              "attribute '" + a.name() + "' of " + n.opType() + " refers to function attribute '"
                  + ref.referencedName() + "', which the function does not declare");
        }
      }
      for (Graph sub : n.subgraphs()) {
        checkReferences(context, sub.nodes(), declared, at);
      }
    }
  }

  /** Reports each function from which a chain of calls leads back to itself. */
  private static void recursion(RuleContext context, Map<String, Function> byId) {
    for (Function f : byId.values()) {
      Deque<Function> work = new ArrayDeque<>(callees(f, byId));
      Set<Function> seen = new HashSet<>();
      while (!work.isEmpty()) {
        Function g = work.pop();
        if (g == f) {
          String path = "function " + (f.domain().isEmpty() ? "" : f.domain() + ":") + f.name();
          context.report(context.fileLocation().inGraph(path),
              "function '" + display(f) + "' calls itself, directly or through other functions;"
                  + " functions cannot recurse");
          break;
        }
        if (seen.add(g)) {
          work.addAll(callees(g, byId));
        }
      }
    }
  }

  private static List<Function> callees(Function f, Map<String, Function> byId) {
    List<Function> out = new java.util.ArrayList<>();
    collectCallees(f.nodes(), byId, out);
    return out;
  }

  private static void collectCallees(List<Node> nodes, Map<String, Function> byId, List<Function> out) {
    for (Node n : nodes) {
      Function callee = byId.get(key(n.domain(), n.opType(), n.overload()));
      if (callee != null) {
        out.add(callee);
      }
      n.subgraphs().forEach(sub -> collectCallees(sub.nodes(), byId, out));
    }
  }

  private static String key(String domain, String name, String overload) {
    return domain + "\u0000" + name + "\u0000" + overload;
  }

  private static String display(Function f) {
    return (f.domain().isEmpty() ? "" : f.domain() + ":") + f.name()
        + (f.overload().isEmpty() ? "" : " (overload '" + f.overload() + "')");
  }
}
