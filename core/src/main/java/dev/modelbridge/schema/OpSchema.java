package dev.modelbridge.schema;

import java.util.List;
import java.util.Optional;

/**
 * The facts of one version of one operator, as ONNX defines them: where it starts, its inputs and
 * outputs, its attributes and its type constraints. A version stays in force from
 * {@link #sinceVersion} until the next version of the same operator.
 *
 * @param domain the operator set, spelled out ({@code ai.onnx} for the default domain)
 * @param deprecated this version removes the operator: models importing it or later may not use it
 * @param inputArity how many inputs a node may have (optional inputs may be omitted at the end)
 * @param outputArity how many outputs a node may have
 */
public record OpSchema(
    String domain,
    String name,
    int sinceVersion,
    boolean deprecated,
    List<Parameter> inputs,
    List<Parameter> outputs,
    Arity inputArity,
    Arity outputArity,
    List<AttributeSpec> attributes,
    List<TypeConstraint> typeConstraints) {

  public OpSchema {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    attributes = List.copyOf(attributes);
    typeConstraints = List.copyOf(typeConstraints);
  }

  public Optional<AttributeSpec> attribute(String attributeName) {
    return attributes.stream().filter(a -> a.name().equals(attributeName)).findFirst();
  }

  /** The constraint of a type variable such as {@code T}; empty when {@code variable} is a concrete type. */
  public Optional<TypeConstraint> typeConstraint(String variable) {
    return typeConstraints.stream().filter(c -> c.variable().equals(variable)).findFirst();
  }

  /**
   * The formal input that node input {@code index} binds to: the one at that position, or the
   * trailing variadic one for positions beyond it.
   */
  public Optional<Parameter> inputAt(int index) {
    return parameterAt(inputs, index);
  }

  /** The formal output that node output {@code index} binds to; see {@link #inputAt}. */
  public Optional<Parameter> outputAt(int index) {
    return parameterAt(outputs, index);
  }

  /** {@code Name-N} with the domain when it is not the default one, for messages. */
  public String label() {
    return (OpSchemaRegistry.DEFAULT_DOMAIN.equals(domain) ? "" : domain + ".") + name + "-" + sinceVersion;
  }

  private static Optional<Parameter> parameterAt(List<Parameter> params, int index) {
    if (index < params.size()) {
      return Optional.of(params.get(index));
    }
    if (!params.isEmpty() && params.get(params.size() - 1).option() == Parameter.Option.VARIADIC) {
      return Optional.of(params.get(params.size() - 1));
    }
    return Optional.empty();
  }

  /** A count range; {@link #UNBOUNDED} as the maximum means no limit. */
  public record Arity(int min, int max) {
    public static final int UNBOUNDED = Integer.MAX_VALUE;

    public boolean allows(int count) {
      return count >= min && count <= max;
    }

    /** {@code 2}, {@code 1 to 3} or {@code 1 or more}. */
    @Override
    public String toString() {
      if (min == max) {
        return Integer.toString(min);
      }
      return max == UNBOUNDED ? min + " or more" : min + " to " + max;
    }
  }

  /**
   * A formal input or output.
   *
   * @param type a type variable of {@link #typeConstraints} (such as {@code T}) or a concrete type
   *     string (such as {@code tensor(int64)})
   * @param minArity for a variadic parameter, how many values it takes at least; 1 otherwise
   * @param homogeneous for a variadic parameter, whether all its values share one type
   */
  public record Parameter(String name, String type, Option option, int minArity, boolean homogeneous) {

    /** Whether a parameter takes one value, may be left out, or takes a list of values. */
    public enum Option {
      SINGLE,
      OPTIONAL,
      VARIADIC
    }
  }
}
