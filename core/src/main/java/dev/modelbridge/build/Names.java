package dev.modelbridge.build;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The names one graph builder has defined, linked to the enclosing graph's and the nested
 * graphs' scopes. Value and node names are separate name spaces, as in ONNX.
 */
final class Names {
  /** State shared by a whole tree of scopes: per-op counters and every name seen anywhere. */
  private static final class Shared {
    final Map<String, Integer> counters = new HashMap<>();
    final Set<String> seen = new HashSet<>();
  }

  private final Shared shared;
  private final Names parent;
  private final List<Names> children = new ArrayList<>();
  private final Set<String> values = new HashSet<>();
  private final Set<String> nodes = new HashSet<>();

  private Names(Shared shared, Names parent) {
    this.shared = shared;
    this.parent = parent;
  }

  static Names root() {
    return new Names(new Shared(), null);
  }

  Names child() {
    Names c = new Names(shared, this);
    children.add(c);
    return c;
  }

  /** Records a value name; the empty name (an absent optional value) is not recorded. */
  void defineValue(String name) {
    define(name, true);
  }

  void defineNode(String name) {
    define(name, false);
  }

  /** Throws as {@link #defineValue} would, without recording the name. */
  void checkValue(String name) {
    check(name, true);
  }

  void checkNode(String name) {
    check(name, false);
  }

  private void define(String name, boolean value) {
    if (!name.isEmpty()) {
      check(name, value);
      set(value).add(name);
      shared.seen.add(name);
    }
  }

  private void check(String name, boolean value) {
    if (name.isEmpty()) {
      return;
    }
    String kind = value ? "value" : "node";
    for (Names s = this; s != null; s = s.parent) {
      if (s.set(value).contains(name)) {
        throw new IllegalArgumentException(
            kind + " '" + name + "' is already defined" + (s == this ? "" : " in an enclosing graph"));
      }
    }
    if (definedBelow(name, value)) {
      throw new IllegalArgumentException(kind + " '" + name + "' is already defined in a nested graph");
    }
  }

  private boolean definedBelow(String name, boolean value) {
    for (Names c : children) {
      if (c.set(value).contains(name) || c.definedBelow(name, value)) {
        return true;
      }
    }
    return false;
  }

  private Set<String> set(boolean value) {
    return value ? values : nodes;
  }

  /**
   * The next free base name {@code <opType>_<n>}. The base is the node name when
   * {@code forNode}; the outputs are the base itself (one output) or {@code base_i} (several).
   * A base is free when none of the names it makes was seen anywhere in the tree, which keeps
   * generated names from clashing with outer, nested or sibling graphs alike.
   */
  String nextBase(String opType, boolean forNode, int outputCount) {
    int n = shared.counters.getOrDefault(opType, 0);
    while (true) {
      String base = opType + "_" + n++;
      List<String> made = made(base, forNode, outputCount);
      if (made.stream().noneMatch(shared.seen::contains)) {
        shared.counters.put(opType, n);
        return base;
      }
    }
  }

  /** The generated output names for a base, as {@link #nextBase} reserves them. */
  static List<String> outputNames(String base, int count) {
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(count == 1 ? base : base + "_" + i);
    }
    return out;
  }

  private static List<String> made(String base, boolean forNode, int outputCount) {
    List<String> made = new ArrayList<>(outputNames(base, outputCount));
    if (forNode) {
      made.add(base);
    }
    return made;
  }
}
