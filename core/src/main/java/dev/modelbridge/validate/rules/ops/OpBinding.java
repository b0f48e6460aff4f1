package dev.modelbridge.validate.rules.ops;

import dev.modelbridge.ir.Function;
import dev.modelbridge.ir.Node;
import dev.modelbridge.schema.OpSchema;
import dev.modelbridge.validate.GraphScope;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What one node calls: a schema version in force, a model-local function, or why neither could be
 * found. Computed once per model by {@link OpBindings}.
 *
 * @param importedVersion the operator set version the node's graph imports for its domain
 * @param schema the version in force, for {@link Kind#SCHEMA} and {@link Kind#DEPRECATED}; the
 *     first version, for {@link Kind#NOT_YET}
 */
public record OpBinding(
    GraphScope scope,
    Node node,
    Kind kind,
    OptionalLong importedVersion,
    Optional<OpSchema> schema,
    Optional<Function> function) {

  /** How a node was resolved. */
  public enum Kind {
    /** A schema version is in force: check the node against it. */
    SCHEMA,
    /** A model-local function: check the node against its signature. */
    FUNCTION,
    /** The node's domain has schemas, but none for this op in any version. */
    UNKNOWN_OP,
    /** The op exists, but only from a later operator set version than imported. */
    NOT_YET,
    /** The version in force removes the op. */
    DEPRECATED,
    /** A domain without known schemas and no model-local function. */
    CUSTOM,
    /** Nothing to say: the domain is not imported (a structure rule reports it), or is newer than the table. */
    UNRESOLVED
  }

  /** The location of this node. */
  public dev.modelbridge.validate.Location location() {
    return scope.at(node);
  }

  /** The node's domain, spelled out for messages. */
  public String displayDomain() {
    return node.domain().isEmpty() ? "ai.onnx" : node.domain();
  }
}
