package dev.modelbridge.tensorflow.convert;

import dev.modelbridge.ModelException;
import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.tensorflow.graph.TensorRef;
import dev.modelbridge.tensorflow.graph.TfNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tensorflow.proto.DataType;

/**
 * What a handler sees of one TensorFlow node being converted: its inputs as IR values, constant
 * inputs, and ways to emit IR nodes and bind the node's outputs.
 *
 * <p>Nodes and helper values a handler emits are named after the TensorFlow node
 * ({@code node}, {@code node/Transpose}, ...), unique in the graph; an output {@code k} of the
 * TensorFlow node is the IR value {@code node:k}.
 */
public final class NodeContext {
  private final ConversionState state;
  private final TfNode node;
  private final List<TensorRef> inputs;

  NodeContext(ConversionState state, TfNode node) {
    this.state = state;
    this.node = node;
    this.inputs = node.dataInputs();
  }

  public TfNode node() {
    return node;
  }

  /** The ONNX default-domain opset being written. */
  public int opset() {
    return state.opset;
  }

  public int inputCount() {
    return inputs.size();
  }

  /** The IR value of data input {@code i}. */
  public String input(int i) throws OpConversionException {
    if (i >= inputs.size()) {
      throw new OpConversionException("has " + inputs.size() + " inputs; input " + i + " is needed");
    }
    return state.value(inputs.get(i))
        .orElseThrow(() -> new OpConversionException("input " + inputs.get(i) + " has no converted value"));
  }

  /** The dtype of data input {@code i}, as its producer declares it. */
  public Optional<DataType> inputType(int i) {
    return i < inputs.size()
        ? state.source.node(inputs.get(i).node()).flatMap(p -> p.outputType(inputs.get(i).index()))
        : Optional.empty();
  }

  /** The ONNX element type of data input {@code i}, else of the node's {@code T} attribute. */
  public ElementType elementType(int i) throws OpConversionException {
    DataType t = inputType(i).or(() -> node.attrType("T"))
        .orElseThrow(() -> new OpConversionException("the dtype of input " + i + " is unknown"));
    try {
      return TfTensors.elementType(t);
    } catch (ModelException e) {
      throw new OpConversionException(e.detail());
    }
  }

  /** The ONNX element type named by the node's type attribute {@code key}. */
  public ElementType elementTypeOfAttr(String key) throws OpConversionException {
    DataType t = node.attrType(key).orElseThrow(() -> new OpConversionException("has no type attribute " + key));
    try {
      return TfTensors.elementType(t);
    } catch (ModelException e) {
      throw new OpConversionException(e.detail());
    }
  }

  /** The value of data input {@code i} when it is a constant (a Const or an initializer). */
  public Optional<Tensor> constant(int i) throws OpConversionException {
    return state.constant(input(i));
  }

  /** The integer values of constant input {@code i}. */
  public long[] constantInts(int i) throws OpConversionException {
    Tensor t = constant(i).orElseThrow(() -> new OpConversionException("input " + i + " (" + inputs.get(i)
        + ") must be a constant for this conversion"));
    try {
      return TfTensors.longs(t);
    } catch (IllegalArgumentException e) {
      throw new OpConversionException("input " + i + " must be an integer constant");
    }
  }

  /** Emits a node with one fresh output; returns the output's name. */
  public String emit(String opType, List<Attribute> attrs, String... in) {
    String out = state.uniqueValue(node.name() + "/" + opType);
    add(opType, attrs, List.of(in), List.of(out));
    return out;
  }

  /** Emits a node with {@code count} fresh outputs; returns their names. */
  public String[] emitMany(int count, String opType, List<Attribute> attrs, String... in) {
    String[] outs = new String[count];
    for (int k = 0; k < count; k++) {
      outs[k] = state.uniqueValue(node.name() + "/" + opType + "_" + k);
    }
    add(opType, attrs, List.of(in), List.of(outs));
    return outs;
  }

  /** Emits a node whose output is output {@code k} of the TensorFlow node. */
  public void produce(int k, String opType, List<Attribute> attrs, String... in) {
    String out = outputName(k);
    add(opType, attrs, List.of(in), List.of(out));
    bind(k, out);
  }

  /** Emits a node whose outputs are outputs {@code 0..count-1} of the TensorFlow node. */
  public void produceAll(int count, String opType, List<Attribute> attrs, String... in) {
    List<String> outs = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      outs.add(outputName(k));
    }
    add(opType, attrs, List.of(in), outs);
    for (int k = 0; k < count; k++) {
      bind(k, outs.get(k));
    }
  }

  /** Makes output {@code k} of the TensorFlow node the IR value {@code irValue} (no node). */
  public void bind(int k, String irValue) {
    state.bind(new TensorRef(node.name(), k), irValue);
  }

  /** Adds {@code t} as an initializer named after this node (or {@code t}'s own name); returns the name. */
  public String initializer(Tensor t, String suggestedName) {
    String name = state.uniqueValue(suggestedName);
    state.initializer(t.withName(name));
    return name;
  }

  /** The saved value of this variable node, added as an initializer named after it; returns the name. */
  public String variableInitializer() throws ModelException {
    String name = state.uniqueValue(node.name());
    state.initializer(state.variables.value(node, name));
    return name;
  }

  /** A new 1-D int64 initializer. */
  public String int64s(long... values) {
    return initializer(Tensor.ofInt64s("", new long[] {values.length}, values), node.name() + "/const");
  }

  /** A new scalar initializer of element type {@code type} holding {@code value}. */
  public String scalar(ElementType type, double value) throws OpConversionException {
    ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    switch (type) {
      case FLOAT -> b.putFloat((float) value);
      case DOUBLE -> b.putDouble(value);
      case INT32 -> b.putInt((int) value);
      case INT64 -> b.putLong((long) value);
      default -> throw new OpConversionException("no scalar constant of type " + type);
    }
    return initializer(Tensor.of("", type, new long[0], b.flip()), node.name() + "/const");
  }

  /** The IR value of input {@code i} as int64 (ONNX shape inputs), casting int32 values. */
  public String int64Input(int i) throws OpConversionException {
    Optional<Tensor> c = constant(i);
    if (c.isPresent() && c.get().elementType() == ElementType.INT64) {
      return input(i);
    }
    if (c.isPresent()) {
      long[] v = constantInts(i);
      return initializer(Tensor.ofInt64s("", c.get().dims(), v), node.name() + "/const");
    }
    return elementType(i) == ElementType.INT64 ? input(i) : emit("Cast", List.of(Attribute.of("to", (long) ElementType.INT64.code())), input(i));
  }

  /** The rank of input {@code i} when the graph records it ({@code _output_shapes}) or its producers imply it, else -1. */
  public int inputRank(int i) {
    if (i >= inputs.size()) {
      return -1;
    }
    return RankInference.rank(state.source, inputs.get(i));
  }

  /**
   * The dims of input {@code i} when all are statically known: a constant's or variable's dims, a
   * recorded shape, or what the producers imply (a Fill or Reshape to constant dims, a Transpose).
   */
  public Optional<long[]> inputDims(int i) throws OpConversionException {
    Optional<Tensor> c = constant(i);
    if (c.isPresent()) {
      return Optional.of(c.get().dims());
    }
    return i < inputs.size() ? StaticShapes.dims(state.source, inputs.get(i)) : Optional.empty();
  }

  /** The flat graph being converted (its function library holds control-flow bodies). */
  public dev.modelbridge.tensorflow.graph.FlatGraph source() {
    return state.source;
  }

  /** A value name derived from {@code base} that nothing here or in an enclosing graph uses; it is then taken. */
  public String uniqueName(String base) {
    return state.uniqueValue(base);
  }

  /**
   * Converts a control-flow body in the scope of this graph: {@code feeds} become the body's graph
   * inputs, {@code outer} tensors read this graph's values by name. Every name the body uses is
   * then taken here, since ONNX names may not shadow those of an enclosing graph.
   */
  public dev.modelbridge.ir.Graph body(String name, dev.modelbridge.tensorflow.graph.FlatGraph graph,
      List<TfConverter.Feed> feeds, java.util.Map<TensorRef, String> outer, List<TfConverter.Fetch> fetches)
      throws ModelException {
    dev.modelbridge.ir.Graph g = TfConverter.convertBody(state, name, graph, feeds, outer, fetches);
    reserveAll(g);
    return g;
  }

  private void reserveAll(dev.modelbridge.ir.Graph g) {
    g.inputs().forEach(v -> state.reserve(v.name()));
    g.initializers().forEach(t -> state.reserve(t.name()));
    for (Node n : g.nodes()) {
      n.outputs().forEach(state::reserve);
      n.subgraphs().forEach(this::reserveAll);
    }
  }

  /** Adds the nodes and initializers of {@code g} (converted by {@link #body}, without inputs) to this graph. */
  public void splice(dev.modelbridge.ir.Graph g) {
    g.initializers().forEach(state::initializer);
    g.nodes().forEach(n -> state.node(n.toBuilder().name(state.uniqueNode(n.name())).build()));
  }

  private String outputName(int k) {
    return state.uniqueValue(node.name() + ":" + k);
  }

  private void add(String opType, List<Attribute> attrs, List<String> in, List<String> outs) {
    state.node(Node.builder(opType)
        .name(state.uniqueNode(node.name()))
        .inputs(in)
        .outputs(outs)
        .attributes(attrs)
        .build());
  }
}
