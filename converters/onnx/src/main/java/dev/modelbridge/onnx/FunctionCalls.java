package dev.modelbridge.onnx;

import dev.modelbridge.InvalidModelException;
import dev.modelbridge.schemas.onnx.AttributeProto;
import dev.modelbridge.schemas.onnx.FunctionProto;
import dev.modelbridge.schemas.onnx.GraphProto;
import dev.modelbridge.schemas.onnx.NodeProto;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Refuses model-local functions that call themselves, directly or through others. ONNX forbids
 * recursion (a function body must expand to a finite graph); a reader that let it through would
 * hand every later pass that expands functions (inference, a runtime) an endless expansion.
 */
final class FunctionCalls {
  private FunctionCalls() {}

  static void refuseRecursion(List<FunctionProto> functions) throws InvalidModelException {
    if (functions.isEmpty()) {
      return;
    }
    Map<String, Set<String>> calls = new HashMap<>();
    for (FunctionProto f : functions) {
      calls.putIfAbsent(key(f.getDomain(), f.getName(), f.getOverload()), new LinkedHashSet<>());
    }
    for (FunctionProto f : functions) {
      Set<String> out = calls.get(key(f.getDomain(), f.getName(), f.getOverload()));
      collect(f.getNodeList(), calls, out);
    }
    // Iterative depth-first search: a long call chain must not overflow the stack either.
    Map<String, Integer> state = new HashMap<>(); // 1 on the path, 2 done
    for (String start : calls.keySet()) {
      if (state.containsKey(start)) {
        continue;
      }
      Deque<String> path = new ArrayDeque<>();
      Deque<java.util.Iterator<String>> its = new ArrayDeque<>();
      path.push(start);
      its.push(calls.get(start).iterator());
      state.put(start, 1);
      while (!path.isEmpty()) {
        if (!its.peek().hasNext()) {
          state.put(path.pop(), 2);
          its.pop();
          continue;
        }
        String next = its.peek().next();
        Integer s = state.get(next);
        if (s != null && s == 1) {
          List<String> cycle = new ArrayList<>(path);
          java.util.Collections.reverse(cycle);
          cycle = cycle.subList(cycle.indexOf(next), cycle.size());
          throw new InvalidModelException("function '" + label(next) + "' calls itself"
              + (cycle.size() > 1 ? " through " + String.join(" -> ", cycle.stream().map(FunctionCalls::label).toList())
                  + " -> " + label(next) : "") + "; ONNX functions cannot be recursive");
        }
        if (s == null) {
          state.put(next, 1);
          path.push(next);
          its.push(calls.get(next).iterator());
        }
      }
    }
  }

  /** The calls of {@code nodes} to model-local functions, subgraphs in attributes included. */
  private static void collect(List<NodeProto> nodes, Map<String, Set<String>> functions, Set<String> out) {
    for (NodeProto n : nodes) {
      String k = key(n.getDomain(), n.getOpType(), n.getOverload());
      if (functions.containsKey(k)) {
        out.add(k);
      }
      for (AttributeProto a : n.getAttributeList()) {
        if (a.hasG()) {
          collect(a.getG().getNodeList(), functions, out);
        }
        for (GraphProto g : a.getGraphsList()) {
          collect(g.getNodeList(), functions, out);
        }
      }
    }
  }

  private static String key(String domain, String name, String overload) {
    return domain + "\u0000" + name + "\u0000" + overload;
  }

  private static String label(String key) {
    String[] p = key.split("\u0000", -1);
    return (p[0].isEmpty() ? "" : p[0] + ":") + p[1] + (p[2].isEmpty() ? "" : ":" + p[2]);
  }
}
