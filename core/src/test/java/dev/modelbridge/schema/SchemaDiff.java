package dev.modelbridge.schema;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Field-by-field differences between two versions of one operator's schema, for cross-checks. */
public final class SchemaDiff {
  private SchemaDiff() {}

  /** Human-readable differences of {@code theirs} from {@code ours}; empty when they agree. */
  public static List<String> diff(OpSchema ours, OpSchema theirs) {
    List<String> d = new ArrayList<>();
    same(d, "deprecated", ours.deprecated(), theirs.deprecated());
    same(d, "input arity", ours.inputArity(), theirs.inputArity());
    same(d, "output arity", ours.outputArity(), theirs.outputArity());
    params(d, "input", ours.inputs(), theirs.inputs());
    params(d, "output", ours.outputs(), theirs.outputs());
    Map<String, AttributeSpec> a = byName(ours.attributes(), AttributeSpec::name);
    Map<String, AttributeSpec> b = byName(theirs.attributes(), AttributeSpec::name);
    for (String n : union(a.keySet(), b.keySet())) {
      AttributeSpec x = a.get(n);
      AttributeSpec y = b.get(n);
      if (x == null || y == null) {
        d.add("attribute " + n + (x == null ? " missing in ours" : " missing in theirs"));
        continue;
      }
      same(d, "attribute " + n + " type", x.kind(), y.kind());
      same(d, "attribute " + n + " required", x.required(), y.required());
      if (!sameDefault(x.defaultValue(), y.defaultValue())) {
        d.add("attribute " + n + " default: " + x.defaultValue().orElse("none") + " vs "
            + y.defaultValue().orElse("none"));
      }
    }
    Map<String, TypeConstraint> c = byName(ours.typeConstraints(), TypeConstraint::variable);
    Map<String, TypeConstraint> e = byName(theirs.typeConstraints(), TypeConstraint::variable);
    for (String v : union(c.keySet(), e.keySet())) {
      TypeConstraint x = c.get(v);
      TypeConstraint y = e.get(v);
      if (x == null || y == null) {
        d.add("type constraint " + v + (x == null ? " missing in ours" : " missing in theirs"));
        continue;
      }
      Set<String> xs = normalized(x.allowedTypes());
      Set<String> ys = normalized(y.allowedTypes());
      if (!xs.equals(ys)) {
        Set<String> onlyOurs = new LinkedHashSet<>(xs);
        onlyOurs.removeAll(ys);
        Set<String> onlyTheirs = new LinkedHashSet<>(ys);
        onlyTheirs.removeAll(xs);
        d.add("type constraint " + v + ": only ours " + onlyOurs + ", only theirs " + onlyTheirs);
      }
    }
    return d;
  }

  private static void params(List<String> d, String what, List<OpSchema.Parameter> a, List<OpSchema.Parameter> b) {
    if (a.size() != b.size()) {
      d.add(what + " count " + a.size() + " vs " + b.size());
      return;
    }
    for (int i = 0; i < a.size(); i++) {
      OpSchema.Parameter x = a.get(i);
      OpSchema.Parameter y = b.get(i);
      String at = what + " " + i + " '" + x.name() + "' ";
      same(d, at + "name", x.name(), y.name());
      same(d, at + "type", TypeStrings.normalize(x.type()), TypeStrings.normalize(y.type()));
      same(d, at + "option", x.option(), y.option());
      if (x.option() == OpSchema.Parameter.Option.VARIADIC) {
        same(d, at + "minimum count", x.minArity(), y.minArity());
        same(d, at + "homogeneous", x.homogeneous(), y.homogeneous());
      }
    }
  }

  private static boolean sameDefault(Optional<String> a, Optional<String> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return a.isEmpty() && b.isEmpty();
    }
    if (a.get().equals(b.get())) {
      return true;
    }
    try {
      return Double.parseDouble(a.get()) == Double.parseDouble(b.get());
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static void same(List<String> d, String what, Object a, Object b) {
    if (!Objects.equals(a, b)) {
      d.add(what + ": " + a + " vs " + b);
    }
  }

  private static Set<String> normalized(List<String> types) {
    return types.stream().map(TypeStrings::normalize).collect(Collectors.toCollection(LinkedHashSet::new));
  }

  private static <T> Map<String, T> byName(List<T> items, Function<T, String> name) {
    Map<String, T> m = new TreeMap<>();
    items.forEach(i -> m.put(name.apply(i), i));
    return m;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> u = new java.util.TreeSet<>(a);
    u.addAll(b);
    return u;
  }
}
