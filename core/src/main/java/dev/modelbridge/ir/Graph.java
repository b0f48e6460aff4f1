package dev.modelbridge.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A computation graph: nodes in topological order, its inputs and outputs, constant initializers,
 * and declared types of intermediate values. A nested graph (an If branch, a Loop body) may read
 * values of the graphs around it by name.
 */
public record Graph(
    String name,
    List<Node> nodes,
    List<ValueInfo> inputs,
    List<ValueInfo> outputs,
    List<Tensor> initializers,
    List<SparseTensor> sparseInitializers,
    List<ValueInfo> valueInfos,
    String docString,
    List<TensorAnnotation> quantizationAnnotations,
    List<StringPair> metadata) {

  public Graph {
    name = Strings.orEmpty(name);
    nodes = List.copyOf(nodes);
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    initializers = List.copyOf(initializers);
    sparseInitializers = List.copyOf(sparseInitializers);
    valueInfos = List.copyOf(valueInfos);
    docString = Strings.orEmpty(docString);
    quantizationAnnotations = List.copyOf(quantizationAnnotations);
    metadata = List.copyOf(metadata);
  }

  public Optional<Tensor> initializer(String tensorName) {
    return initializers.stream().filter(t -> t.name().equals(tensorName)).findFirst();
  }

  public Optional<Node> node(String nodeName) {
    return nodes.stream().filter(n -> n.name().equals(nodeName)).findFirst();
  }

  public static Builder builder(String name) {
    return new Builder().name(name);
  }

  public Builder toBuilder() {
    Builder b = new Builder().name(name).docString(docString);
    b.nodes.addAll(nodes);
    b.inputs.addAll(inputs);
    b.outputs.addAll(outputs);
    b.initializers.addAll(initializers);
    b.sparseInitializers.addAll(sparseInitializers);
    b.valueInfos.addAll(valueInfos);
    b.quantizationAnnotations.addAll(quantizationAnnotations);
    b.metadata.addAll(metadata);
    return b;
  }

  /** Collects the parts of a graph; {@link dev.modelbridge.build.GraphBuilder} is the friendlier way to write one. */
  public static final class Builder {
    private String name = "";
    private final List<Node> nodes = new ArrayList<>();
    private final List<ValueInfo> inputs = new ArrayList<>();
    private final List<ValueInfo> outputs = new ArrayList<>();
    private final List<Tensor> initializers = new ArrayList<>();
    private final List<SparseTensor> sparseInitializers = new ArrayList<>();
    private final List<ValueInfo> valueInfos = new ArrayList<>();
    private String docString = "";
    private final List<TensorAnnotation> quantizationAnnotations = new ArrayList<>();
    private final List<StringPair> metadata = new ArrayList<>();

    public Builder name(String v) {
      name = v;
      return this;
    }

    public Builder docString(String v) {
      docString = v;
      return this;
    }

    public Builder node(Node n) {
      nodes.add(n);
      return this;
    }

    public Builder nodes(List<Node> n) {
      nodes.addAll(n);
      return this;
    }

    public Builder clearNodes() {
      nodes.clear();
      return this;
    }

    public Builder input(ValueInfo v) {
      inputs.add(v);
      return this;
    }

    public Builder output(ValueInfo v) {
      outputs.add(v);
      return this;
    }

    public Builder initializer(Tensor t) {
      initializers.add(t);
      return this;
    }

    public Builder clearInitializers() {
      initializers.clear();
      return this;
    }

    public Builder sparseInitializer(SparseTensor t) {
      sparseInitializers.add(t);
      return this;
    }

    public Builder valueInfo(ValueInfo v) {
      valueInfos.add(v);
      return this;
    }

    public Builder quantizationAnnotation(TensorAnnotation a) {
      quantizationAnnotations.add(a);
      return this;
    }

    public Builder metadata(String key, String value) {
      metadata.add(new StringPair(key, value));
      return this;
    }

    public Graph build() {
      return new Graph(
          name, nodes, inputs, outputs, initializers, sparseInitializers, valueInfos, docString,
          quantizationAnnotations, metadata);
    }
  }
}
