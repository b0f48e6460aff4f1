package dev.modelbridge.tensorflow.convert;

import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.tensorflow.graph.FlatGraph;
import dev.modelbridge.tensorflow.graph.TensorRef;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What one conversion has built so far: the IR graph, the value of each TF tensor, the names in use. */
final class ConversionState {
  final FlatGraph source;
  final Graph.Builder graph;
  final int opset;
  final VariableStore variables;
  final OpRegistry registry;
  /** The state of the enclosing graph when this one is a control-flow body, else null. */
  final ConversionState parent;
  private final Map<TensorRef, String> values = new HashMap<>();
  private final Map<String, Tensor> constants = new HashMap<>();
  private final Set<String> valueNames = new HashSet<>();
  private final Set<String> nodeNames = new HashSet<>();

  ConversionState(FlatGraph source, Graph.Builder graph, int opset, VariableStore variables, OpRegistry registry,
      ConversionState parent) {
    this.source = source;
    this.graph = graph;
    this.opset = opset;
    this.variables = variables;
    this.registry = registry;
    this.parent = parent;
  }

  /** Whether {@code name} is taken, here or in an enclosing graph (ONNX names may not shadow). */
  boolean taken(String name) {
    return valueNames.contains(name) || parent != null && parent.taken(name);
  }

  /** Reserves a value name (a graph input or output) so that nothing else takes it. */
  void reserve(String name) {
    valueNames.add(name);
  }

  /** {@code base}, or {@code base_1}, {@code base_2}... when taken; the name is then taken. */
  String uniqueValue(String base) {
    return unique(valueNames, base);
  }

  String uniqueNode(String base) {
    return unique(nodeNames, base);
  }

  private String unique(Set<String> taken, String base) {
    String name = base;
    for (int i = 1; (parent != null && taken == valueNames && parent.taken(name)) || !taken.add(name); i++) {
      name = base + "_" + i;
    }
    return name;
  }

  /** Makes {@code ref} hold the IR value {@code name}, unless it is bound already (a fed tensor). */
  void bind(TensorRef ref, String name) {
    values.putIfAbsent(ref, name);
  }

  Optional<String> value(TensorRef ref) {
    return Optional.ofNullable(values.get(ref));
  }

  void node(Node n) {
    graph.node(n);
  }

  /** Adds an initializer; its value is remembered for handlers that need constant inputs. */
  void initializer(Tensor t) {
    graph.initializer(t);
    constants.put(t.name(), t);
  }

  /** Remembers that the IR value {@code name} is constant (a view kept for handlers). */
  void constant(String name, Tensor t) {
    constants.put(name, t);
  }

  /** The constant value of {@code irValue}, looked up in enclosing graphs too (a body reads their values). */
  Optional<Tensor> constant(String irValue) {
    Tensor t = constants.get(irValue);
    return t != null || parent == null ? Optional.ofNullable(t) : parent.constant(irValue);
  }
}
