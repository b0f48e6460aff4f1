package dev.modelbridge.infer;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.Dim;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.Shape;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a handler sees of one node: the types and known values of its inputs, its attributes, the
 * opset version of its domain, and where to put the output types.
 */
public final class NodeContext {
  private final Node node;
  private final long opset;
  private final Env env;
  private final GraphInference graph;
  private final List<Optional<Type>> outputs;
  private final List<IntData> outputData;

  NodeContext(Node node, long opset, Env env, GraphInference graph) {
    this.node = node;
    this.opset = opset;
    this.env = env;
    this.graph = graph;
    this.outputs = new ArrayList<>();
    this.outputData = new ArrayList<>();
    for (int i = 0; i < node.outputs().size(); i++) {
      outputs.add(Optional.empty());
      outputData.add(null);
    }
  }

  public Node node() {
    return node;
  }

  /** The imported version of the node's domain. */
  public long opset() {
    return opset;
  }

  public int inputCount() {
    return node.inputs().size();
  }

  public int outputCount() {
    return node.outputs().size();
  }

  /** Whether input {@code i} is given (present and not an empty name). */
  public boolean hasInput(int i) {
    return i < node.inputs().size() && !node.inputs().get(i).isEmpty();
  }

  public Optional<Type> type(int i) {
    return hasInput(i) ? env.type(node.inputs().get(i)) : Optional.empty();
  }

  public Optional<Type.TensorType> tensor(int i) {
    return type(i).filter(Type.TensorType.class::isInstance).map(Type.TensorType.class::cast);
  }

  /** The element type of tensor input {@code i}, when known. */
  public Optional<ElementType> elem(int i) {
    return tensor(i).map(Type.TensorType::elementType).filter(e -> e != ElementType.UNDEFINED);
  }

  public Optional<Shape> shape(int i) {
    return tensor(i).flatMap(Type.TensorType::shape);
  }

  public Optional<List<Dim>> dims(int i) {
    return shape(i).map(Shape::dims);
  }

  public OptionalInt rank(int i) {
    Optional<Shape> s = shape(i);
    return s.isPresent() ? OptionalInt.of(s.get().rank()) : OptionalInt.empty();
  }

  /** What is known of the value of integer input {@code i} (a constant, or data from Shape). */
  public Optional<IntData> ints(int i) {
    return hasInput(i) ? env.ints(node.inputs().get(i)) : Optional.empty();
  }

  /** The values of integer input {@code i} when all are known. */
  public Optional<long[]> longs(int i) {
    return ints(i).flatMap(IntData::fixed);
  }

  /** The values of a small numeric constant input (initializer or Constant). */
  public Optional<double[]> doubles(int i) {
    return constant(i).flatMap(TensorValues::doubles);
  }

  public Optional<Tensor> constant(int i) {
    return hasInput(i) ? env.constant(node.inputs().get(i)) : Optional.empty();
  }

  public Optional<Attribute> attr(String name) {
    return node.attribute(name);
  }

  public long attrInt(String name, long otherwise) {
    return attr(name).filter(Attribute.IntAttr.class::isInstance)
        .map(a -> ((Attribute.IntAttr) a).value()).orElse(otherwise);
  }

  public Optional<Long> attrInt(String name) {
    return attr(name).filter(Attribute.IntAttr.class::isInstance).map(a -> ((Attribute.IntAttr) a).value());
  }

  public Optional<Float> attrFloat(String name) {
    return attr(name).filter(Attribute.FloatAttr.class::isInstance)
        .map(a -> ((Attribute.FloatAttr) a).value());
  }

  public Optional<long[]> attrInts(String name) {
    return attr(name).filter(Attribute.IntsAttr.class::isInstance).map(a -> ((Attribute.IntsAttr) a).toArray());
  }

  public Optional<float[]> attrFloats(String name) {
    return attr(name).filter(Attribute.FloatsAttr.class::isInstance).map(a -> {
      List<Float> v = ((Attribute.FloatsAttr) a).values();
      float[] out = new float[v.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = v.get(i);
      }
      return out;
    });
  }

  public String attrString(String name, String otherwise) {
    return attr(name).filter(Attribute.StringAttr.class::isInstance)
        .map(a -> ((Attribute.StringAttr) a).value().toUtf8()).orElse(otherwise);
  }

  public Optional<Graph> attrGraph(String name) {
    return attr(name).filter(Attribute.GraphAttr.class::isInstance).map(a -> ((Attribute.GraphAttr) a).value());
  }

  /** Sets the type of output {@code i} (ignored when the node has no such output). */
  public void output(int i, Type type) {
    if (i < outputs.size() && !node.outputs().get(i).isEmpty()) {
      outputs.set(i, Optional.of(type));
    }
  }

  public void output(int i, ElementType e, List<Dim> dims) {
    output(i, Types.tensor(e, dims));
  }

  /** Output {@code i} is a tensor of element type {@code e} and the given shape, if known. */
  public void output(int i, ElementType e, Optional<Shape> shape) {
    output(i, Types.tensor(e, shape));
  }

  /** Output {@code i} is a tensor of element type {@code e}, when known, and the given shape. */
  public void output(int i, Optional<ElementType> e, Optional<Shape> shape) {
    output(i, Types.tensor(e.orElse(ElementType.UNDEFINED), shape));
  }

  /** Output {@code i} is a tensor of element type {@code e}, when known, and these dims. */
  public void output(int i, Optional<ElementType> e, List<Dim> dims) {
    output(i, Types.tensor(e.orElse(ElementType.UNDEFINED), dims));
  }

  /** Output {@code i} has this known value (and is an int64 tensor of the matching shape). */
  public void outputData(int i, IntData data) {
    if (i < outputData.size()) {
      outputData.set(i, data);
    }
  }

  /** Reports inputs that cannot go together; {@code field} names the input or attribute. */
  public void incompatible(String field, String message) {
    graph.incompatible(node, field, message);
  }

  /** A field label such as {@code input 1 'B'}. */
  public String inputLabel(int i) {
    return "input " + i + " '" + (i < node.inputs().size() ? node.inputs().get(i) : "") + "'";
  }

  /**
   * Infers a subgraph of this node (an If branch, a Loop body) with the given types for its inputs
   * (empty: the declared ones); returns the types of its outputs.
   */
  public List<Optional<Type>> inferSubgraph(Graph g, List<Optional<Type>> inputTypes) {
    return graph.inferSubgraph(node, g, inputTypes, env);
  }

  /** Infers a subgraph as a trial: only its output types are returned, nothing is kept. */
  public List<Optional<Type>> trySubgraph(Graph g, List<Optional<Type>> inputTypes) {
    return graph.trySubgraph(g, inputTypes, env);
  }

  Optional<Type> outputType(int i) {
    return outputs.get(i);
  }

  Optional<IntData> outputInts(int i) {
    return Optional.ofNullable(outputData.get(i));
  }
}
