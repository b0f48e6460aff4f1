package dev.modelbridge.validate.rules.ops;

import dev.modelbridge.schema.OpSchema;
import dev.modelbridge.schema.OpSchema.Parameter;
import dev.modelbridge.schema.TypeConstraint;
import dev.modelbridge.schema.TypeStrings;
import dev.modelbridge.validate.RuleContext;
import dev.modelbridge.validate.Severity;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code op.type-constraint}: a node input or output whose declared type (see
 * {@link DeclaredTypes}; no inference) its type constraint does not allow, or a type variable
 * bound to two different types within one node (such as {@code Add(float, int64)}). Values of a
 * heterogeneous variadic parameter are checked one by one and bind nothing.
 */
public final class TypeConstraintRule extends OperatorRule {
  public TypeConstraintRule() {
    super("op.type-constraint", Severity.ERROR,
        "A node input or output has a declared type its operator's type constraint does not allow,"
            + " or one type variable stands for two types.");
  }

  /** A type variable's binding: the type and the field that bound it. */
  private record Binding(String type, String field) {}

  @Override
  void check(RuleContext context, OpBinding b) {
    if (b.kind() != OpBinding.Kind.SCHEMA) {
      return;
    }
    OpSchema s = b.schema().orElseThrow();
    DeclaredTypes types = DeclaredTypes.of(context);
    Map<String, Binding> bound = new HashMap<>();
    List<String> inputs = b.node().inputs();
    for (int i = 0; i < inputs.size(); i++) {
      Optional<Parameter> p = s.inputAt(i);
      if (p.isPresent() && !inputs.get(i).isEmpty()) {
        value(context, b, s, types, bound, p.get(), inputField(i, inputs.get(i)), inputs.get(i));
      }
    }
    List<String> outputs = b.node().outputs();
    for (int i = 0; i < outputs.size(); i++) {
      Optional<Parameter> p = s.outputAt(i);
      if (p.isPresent() && !outputs.get(i).isEmpty()) {
        value(context, b, s, types, bound, p.get(), outputField(i, outputs.get(i)), outputs.get(i));
      }
    }
  }

  private static void value(RuleContext context, OpBinding b, OpSchema s, DeclaredTypes types,
      Map<String, Binding> bound, Parameter p, String field, String name) {
    Optional<String> actual = types.typeOf(b.scope(), name).flatMap(TypeStrings::of);
    if (actual.isEmpty()) {
      return;
    }
    String type = TypeStrings.normalize(actual.get());
    String op = b.node().opType();
    Optional<TypeConstraint> c = s.typeConstraint(p.type());
    if (c.isEmpty()) {
      // A concrete type such as tensor(int64) instead of a variable.
      if (p.type().contains("(") && !TypeStrings.normalize(p.type()).equals(type)) {
        context.report(b.location().atField(field), field + " of " + op + " is " + show(type) + "; "
            + s.label() + " expects " + show(p.type()) + " there");
      }
      return;
    }
    if (!c.get().allows(type)) {
      context.report(b.location().atField(field), field + " of " + op + " is " + show(type)
          + "; type constraint " + c.get().variable() + " of " + s.label() + " allows "
          + c.get().allowedTypes().stream().map(TypeConstraintRule::show).collect(Collectors.joining(", ")));
      return;
    }
    if (!p.homogeneous()) {
      return;
    }
    Binding before = bound.putIfAbsent(c.get().variable(), new Binding(type, field));
    if (before != null && !before.type().equals(type)) {
      context.report(b.location().atField(field), field + " of " + op + " is " + show(type) + ", but "
          + before.field() + " is " + show(before.type()) + " and type variable " + c.get().variable()
          + " of " + s.label() + " stands for one type");
    }
  }

  /** {@code float} for {@code tensor(float)}: messages name tensor types by element type. */
  private static String show(String typeString) {
    String t = TypeStrings.normalize(typeString);
    return t.startsWith("tensor(") && t.endsWith(")") ? t.substring(7, t.length() - 1) : t;
  }
}
