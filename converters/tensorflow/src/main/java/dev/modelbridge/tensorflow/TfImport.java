package dev.modelbridge.tensorflow;

import dev.modelbridge.ModelException;
import dev.modelbridge.UnsupportedModelException;
import dev.modelbridge.build.GraphBuilder;
import dev.modelbridge.format.ReadOptions;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Type;
import dev.modelbridge.tensorflow.convert.OpRegistry;
import dev.modelbridge.tensorflow.convert.Shapes;
import dev.modelbridge.tensorflow.convert.TfConverter;
import dev.modelbridge.tensorflow.convert.TfTensors;
import dev.modelbridge.tensorflow.convert.VariableStore;
import dev.modelbridge.tensorflow.graph.FlatGraph;
import dev.modelbridge.tensorflow.graph.TensorRef;
import dev.modelbridge.tensorflow.graph.TfNode;
import java.util.List;
import java.util.Optional;

/** The last steps shared by the SavedModel and GraphDef readers: convert and wrap in a model. */
final class TfImport {
  /** Format option: the ONNX opset to write (default {@value #DEFAULT_OPSET}). */
  static final String OPSET = "opset";
  static final int DEFAULT_OPSET = 17;
  static final int MIN_OPSET = 13;
  static final int MAX_OPSET = 21;

  private TfImport() {}

  static int opset(ReadOptions options) throws UnsupportedModelException {
    String s = options.option(OPSET).orElse(Integer.toString(DEFAULT_OPSET));
    int v;
    try {
      v = Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      throw new UnsupportedModelException("opset '" + s + "' is not a number");
    }
    if (v < MIN_OPSET || v > MAX_OPSET) {
      throw new UnsupportedModelException("opset " + v + " is not supported (" + MIN_OPSET + " to " + MAX_OPSET + ")");
    }
    return v;
  }

  static Model convert(String graphName, FlatGraph graph, List<TfConverter.Feed> feeds, List<TfConverter.Fetch> fetches,
      VariableStore variables, ReadOptions options, String doc) throws ModelException {
    int opset = opset(options);
    Graph g = new TfConverter(OpRegistry.standard()).convert(graphName, graph, feeds, fetches, variables, opset);
    g = Layout.apply(g, options);
    return withTypedOutputs(GraphBuilder.model(g.toBuilder().docString(doc).build(), opset));
  }

  /**
   * Graph outputs whose type the TensorFlow graph does not record (a frozen graph without op
   * definitions) get the type inference finds: ONNX needs a type on every output of the main graph.
   */
  static Model withTypedOutputs(Model m) {
    if (m.graph().outputs().stream().allMatch(v -> v.type().isPresent())) {
      return m;
    }
    var types = dev.modelbridge.infer.ModelInference.infer(m).main();
    java.util.List<dev.modelbridge.ir.ValueInfo> outputs = new java.util.ArrayList<>();
    for (dev.modelbridge.ir.ValueInfo v : m.graph().outputs()) {
      outputs.add(v.type().isPresent() ? v : new dev.modelbridge.ir.ValueInfo(
          v.name(), types.type(v.name()), v.docString(), v.metadata()));
    }
    Graph g = m.graph();
    return m.toBuilder().graph(new Graph(g.name(), g.nodes(), g.inputs(), outputs, g.initializers(),
        g.sparseInitializers(), g.valueInfos(), g.docString(), g.quantizationAnnotations(), g.metadata())).build();
  }

  /** The type of tensor {@code ref} as the graph records it, when at least its dtype is known. */
  static Optional<Type> recordedType(FlatGraph graph, TensorRef ref, String symbolPrefix) {
    Optional<TfNode> n = graph.node(ref.node());
    if (n.isEmpty()) {
      return Optional.empty();
    }
    var dtype = n.get().outputType(ref.index());
    if (dtype.isEmpty()) {
      return Optional.empty();
    }
    try {
      var shape = Shapes.shape(n.get(), ref.index());
      return Optional.of(shape.isPresent()
          ? TfTensors.type(dtype.get(), shape.get(), symbolPrefix)
          : Type.tensorOfUnknownRank(TfTensors.elementType(dtype.get())));
    } catch (UnsupportedModelException e) {
      return Optional.empty();
    }
  }
}
