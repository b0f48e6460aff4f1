package dev.modelbridge.build;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.Type;
import dev.modelbridge.ir.ValueInfo;

/**
 * Writes a graph in a few lines, for tests and examples.
 *
 * <pre>{@code
 * GraphBuilder g = GraphBuilder.named("mlp");
 * String x = g.input("x", Type.tensor(ElementType.FLOAT, Shape.ofMixed("batch", 4)));
 * String w = g.initializer(Tensors.randomFloats("w", 1, 4, 3));
 * String h = g.op("MatMul").inputs(x, w).output();            // "MatMul_0"
 * String y = g.op("Relu").inputs(h).output("y");
 * g.output(y, Type.tensor(ElementType.FLOAT, Shape.ofMixed("batch", 3)));
 * Model m = GraphBuilder.model(g.build(), 17);
 * }</pre>
 *
 * <p>Names that are not given are generated as {@code <opType>_<n>}, counting per op type, and
 * never clash with any name of this builder or of its {@link #subgraph nested builders}. Giving
 * a value or node name that this graph or an enclosing one already defines throws
 * {@link IllegalArgumentException} (ONNX forbids a subgraph to shadow an outer name), which
 * catches typos in tests early; sibling subgraphs may reuse names. To write a deliberately
 * malformed graph use {@link Graph#builder} and {@link Node#builder} directly.
 *
 * <p>Not thread-safe.
 */
public final class GraphBuilder {
  private final Names names;
  private final Graph.Builder graph;

  private GraphBuilder(String name, Names names) {
    this.names = names;
    this.graph = Graph.builder(name);
  }

  /** A builder for a top-level graph called {@code name}. */
  public static GraphBuilder named(String name) {
    return new GraphBuilder(name, Names.root());
  }

  /**
   * A builder for a graph nested in this one (an If branch, a Loop or Scan body). It shares this
   * builder's name space, so generated names never clash with the enclosing graph, and its nodes
   * may read this graph's values by name. Pass its {@link #build()} result to
   * {@link OpBuilder#attr(String, Graph)}.
   */
  public GraphBuilder subgraph(String name) {
    return new GraphBuilder(name, names.child());
  }

  /** Declares a typed graph input; returns its name. */
  public String input(String name, Type type) {
    names.defineValue(name);
    graph.input(ValueInfo.of(name, type));
    return name;
  }

  /** Declares a graph input without a type (as Loop bodies sometimes have); returns its name. */
  public String input(String name) {
    names.defineValue(name);
    graph.input(ValueInfo.untyped(name));
    return name;
  }

  /** Adds a constant initializer, which must be named; returns its name. */
  public String initializer(Tensor tensor) {
    if (tensor.name().isEmpty()) {
      throw new IllegalArgumentException("an initializer needs a name");
    }
    names.defineValue(tensor.name());
    graph.initializer(tensor);
    return tensor.name();
  }

  /**
   * Adds a {@code Constant} node holding {@code value}; returns its output, named after the
   * tensor when it has a name, else generated.
   */
  public String constant(Tensor value) {
    OpBuilder op = op("Constant").attr(Attribute.of("value", value));
    return value.name().isEmpty() ? op.output() : op.output(value.name());
  }

  /** Starts a node of the default (ai.onnx) domain; finish it with an {@code output} method. */
  public OpBuilder op(String opType) {
    return new OpBuilder(this, opType);
  }

  /** Declares a typed graph output. */
  public GraphBuilder output(String name, Type type) {
    graph.output(ValueInfo.of(name, type));
    return this;
  }

  /** Declares a graph output without a type. */
  public GraphBuilder output(String name) {
    graph.output(ValueInfo.untyped(name));
    return this;
  }

  /** Declares the type of an intermediate value. */
  public GraphBuilder valueInfo(String name, Type type) {
    graph.valueInfo(ValueInfo.of(name, type));
    return this;
  }

  /** Sets the graph's doc string. */
  public GraphBuilder docString(String doc) {
    graph.docString(doc);
    return this;
  }

  /** The graph as built so far; the builder may go on being used. */
  public Graph build() {
    return graph.build();
  }

  /**
   * A model around {@code graph} that imports the default domain at {@code opset}, with the IR
   * version of the ONNX release that introduced that opset and producer "ModelBridge".
   */
  public static Model model(Graph graph, long opset) {
    return Model.builder()
        .irVersion(irVersionForOpset(opset))
        .opset("", opset)
        .producer("ModelBridge", "")
        .graph(graph)
        .build();
  }

  /**
   * The IR version of the ONNX release that first shipped default-domain opset {@code opset}
   * (ONNX's "Released Versions" table): a runtime that reads that opset reads that IR version.
   *
   * @throws IllegalArgumentException for an opset below 1 or newer than this table knows
   */
  public static long irVersionForOpset(long opset) {
    if (opset < 1) {
      throw new IllegalArgumentException("opset must be at least 1, not " + opset);
    }
    if (opset <= 8) {
      return 3;
    }
    if (opset <= 11) {
      return opset - 5; // 9 -> 4, 10 -> 5, 11 -> 6
    }
    if (opset <= 14) {
      return 7;
    }
    if (opset <= 18) {
      return 8;
    }
    if (opset <= 20) {
      return 9;
    }
    if (opset <= 22) {
      return 10;
    }
    if (opset <= 24) {
      return opset - 12; // 23 -> 11, 24 -> 12
    }
    if (opset <= 27) {
      return 13;
    }
    throw new IllegalArgumentException(
        "opset " + opset + " is newer than the known ONNX releases; set the IR version explicitly");
  }

  /** Called by {@link OpBuilder} when a node is complete. */
  void addNode(Node node) {
    graph.node(node);
  }

  Names names() {
    return names;
  }
}
