package dev.modelbridge.validate.rules.ops;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.SparseTensor;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.Type;
import dev.modelbridge.ir.ValueInfo;
import dev.modelbridge.validate.GraphScope;
import dev.modelbridge.validate.RuleContext;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The types a model states without inference: graph inputs and outputs, initializers, value
 * infos, and the outputs of {@code Constant} nodes. A nested graph sees its own declarations
 * first, then those of the graphs of the same family (the main graph and everything nested in
 * it, or one function's body); a name declared twice with different types there is dropped.
 */
public final class DeclaredTypes {
  private final Map<Graph, Map<String, Type>> own = new IdentityHashMap<>();
  private final Map<String, Map<String, Type>> family = new HashMap<>();

  private DeclaredTypes() {}

  /** The declared types of the model in {@code context}, computed on first use. */
  public static DeclaredTypes of(RuleContext context) {
    return context.shared(DeclaredTypes.class, () -> compute(context.graphs()));
  }

  /** The declared type of {@code name} as seen from {@code scope}. */
  public Optional<Type> typeOf(GraphScope scope, String name) {
    Type t = own.getOrDefault(scope.graph(), Map.of()).get(name);
    if (t == null) {
      t = family.getOrDefault(familyKey(scope), Map.of()).get(name);
    }
    return Optional.ofNullable(t);
  }

  private static DeclaredTypes compute(List<GraphScope> scopes) {
    DeclaredTypes d = new DeclaredTypes();
    Map<String, Set<String>> conflicts = new HashMap<>();
    for (GraphScope s : scopes) {
      Map<String, Type> mine = d.own.computeIfAbsent(s.graph(), g -> new HashMap<>());
      Map<String, Type> fam = d.family.computeIfAbsent(familyKey(s), k -> new HashMap<>());
      Set<String> bad = conflicts.computeIfAbsent(familyKey(s), k -> new HashSet<>());
      declarations(s).forEach((name, type) -> {
        mine.putIfAbsent(name, type);
        Type before = fam.putIfAbsent(name, type);
        if (before != null && !sameKind(before, type)) {
          bad.add(name);
        }
      });
    }
    conflicts.forEach((key, names) -> d.family.get(key).keySet().removeAll(names));
    return d;
  }

  private static String familyKey(GraphScope s) {
    return s.function().map(f -> "function " + f.domain() + ":" + f.name() + ":" + f.overload()).orElse("main");
  }

  private static Map<String, Type> declarations(GraphScope s) {
    Map<String, Type> out = new HashMap<>();
    Graph g = s.graph();
    for (Tensor t : g.initializers()) {
      out.put(t.name(), Type.tensorOfUnknownRank(t.elementType()));
    }
    for (SparseTensor t : g.sparseInitializers()) {
      out.put(t.name(), new Type.SparseTensorType(t.values().elementType(), Optional.empty(), ""));
    }
    addAll(out, g.inputs());
    addAll(out, g.valueInfos());
    addAll(out, g.outputs());
    s.function().ifPresent(f -> addAll(out, f.valueInfos()));
    for (Node n : g.nodes()) {
      if ("Constant".equals(n.opType()) && (n.domain().isEmpty() || "ai.onnx".equals(n.domain()))) {
        constantType(n).ifPresent(t -> n.outputs().stream().findFirst()
            .filter(o -> !o.isEmpty()).ifPresent(o -> out.putIfAbsent(o, t)));
      }
    }
    return out;
  }

  private static void addAll(Map<String, Type> out, List<ValueInfo> infos) {
    for (ValueInfo v : infos) {
      v.type().filter(t -> !(t instanceof Type.Unspecified)).ifPresent(t -> out.putIfAbsent(v.name(), t));
    }
  }

  /** The element type a Constant's value attribute gives its output. */
  private static Optional<Type> constantType(Node n) {
    for (Attribute a : n.attributes()) {
      ElementType e = null;
      if (a instanceof Attribute.TensorAttr t) {
        e = t.value().elementType();
      } else if (a instanceof Attribute.SparseTensorAttr t) {
        return Optional.of(new Type.SparseTensorType(t.value().values().elementType(), Optional.empty(), ""));
      } else if (a instanceof Attribute.FloatAttr || a instanceof Attribute.FloatsAttr) {
        e = ElementType.FLOAT;
      } else if (a instanceof Attribute.IntAttr || a instanceof Attribute.IntsAttr) {
        e = ElementType.INT64;
      } else if (a instanceof Attribute.StringAttr || a instanceof Attribute.StringsAttr) {
        e = ElementType.STRING;
      }
      if (e != null) {
        return Optional.of(Type.tensorOfUnknownRank(e));
      }
    }
    return Optional.empty();
  }

  /** Whether two declarations agree on what the type checks compare (kind and element type). */
  private static boolean sameKind(Type a, Type b) {
    return dev.modelbridge.schema.TypeStrings.of(a).equals(dev.modelbridge.schema.TypeStrings.of(b));
  }
}
