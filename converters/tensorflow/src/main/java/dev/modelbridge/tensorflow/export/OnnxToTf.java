package dev.modelbridge.tensorflow.export;

import dev.modelbridge.ModelException;
import dev.modelbridge.UnsupportedModelException;
import dev.modelbridge.infer.GraphTypes;
import dev.modelbridge.infer.ModelInference;
import dev.modelbridge.ir.Dim;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.Type;
import dev.modelbridge.ir.ValueInfo;
import dev.modelbridge.tensorflow.bundle.BundleValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tensorflow.proto.DataType;

/**
 * Converts the main graph of an ONNX model into a TensorFlow graph: placeholders for the inputs,
 * resource variables (or constants) for the initializers, the handlers' nodes, and an Identity per
 * output. Every node is tried; unsupported ops and failed nodes are reported together at the end.
 * Subgraphs (If branches, Loop and Scan bodies) are converted by child conversions into function
 * bodies; they see the outer graph's constants and types, and report into the same error.
 */
final class OnnxToTf {
  /** Initializers this small are shape constants or scalars, not weights: they become Consts. */
  static final long SMALL_CONSTANT_ELEMENTS = 16;

  /** One signature tensor: the ONNX name as key, the emitted tensor, its static dims (null: unknown rank). */
  record SignatureTensor(String key, TfRef ref, long[] dims) {}

  /** One resource variable and the checkpoint key its value is saved under. */
  record Variable(String key, BundleValue value, TfRef handle, TfRef read) {}

  /**
   * What the caller asks of the conversion.
   *
   * @param weightsAsConstants initializers as Consts instead of variables
   * @param inputsAsNhwc 4-D inputs whose signature takes NHWC (the graph transposes them to NCHW)
   * @param outputsAsNhwc 4-D outputs whose signature gives NHWC
   */
  record Options(boolean weightsAsConstants, Set<String> inputsAsNhwc, Set<String> outputsAsNhwc) {
    static Options of(boolean weightsAsConstants) {
      return new Options(weightsAsConstants, Set.of(), Set.of());
    }
  }


  private final TfGraph graph;
  private final Graph onnx;
  private final Options options;
  private final boolean weightsAsConstants;
  private final ModelInference inference;
  private final Map<String, long[]> knownDims = new HashMap<>();
  private final GraphTypes types;
  /** The conversion of the graph a subgraph is nested in; null for the main graph. */
  private final OnnxToTf parent;
  private ExportRegistry registry;
  private long opset;
  // Shared with the conversions of subgraphs, so that one error lists every problem.
  private final Map<String, List<String>> unsupported;
  private final List<String> problems;
  private final Map<String, TfRef> values = new HashMap<>();
  private final Map<String, Tensor> initializers = new HashMap<>();
  private final Map<String, Tensor> constants = new HashMap<>();
  private final List<Variable> variables = new ArrayList<>();
  /** Kernels stored in TensorFlow's layout; null where initializers are not variables. */
  private final KernelVariables kernels;
  private final List<SignatureTensor> inputs = new ArrayList<>();
  private final List<SignatureTensor> outputs = new ArrayList<>();

  private OnnxToTf(Model model, Options options) {
    this.graph = new TfGraph();
    this.onnx = model.graph();
    this.options = options;
    this.weightsAsConstants = options.weightsAsConstants();
    this.parent = null;
    this.unsupported = new LinkedHashMap<>();
    this.problems = new ArrayList<>();
    ModelInference inferred;
    try {
      inferred = ModelInference.infer(model);
    } catch (RuntimeException e) {
      inferred = null; // Handlers that need a shape then say which one is missing.
    }
    this.inference = inferred;
    this.types = inferred == null ? null : inferred.main();
    onnx.initializers().forEach(i -> initializers.put(i.name(), i));
    constants.putAll(initializers);
    this.kernels = weightsAsConstants ? null : new KernelVariables(onnx);
  }

  /** The conversion of {@code subgraph} into {@code body}, a function body; its initializers become Consts. */
  private OnnxToTf(OnnxToTf parent, Graph subgraph, TfGraph body) {
    this.graph = body;
    this.onnx = subgraph;
    this.options = Options.of(true); // Layout options apply to the signature, not to subgraphs.
    this.weightsAsConstants = true;
    this.parent = parent;
    this.registry = parent.registry;
    this.opset = parent.opset;
    this.unsupported = parent.unsupported;
    this.problems = parent.problems;
    this.inference = parent.inference;
    this.types = inference == null ? null : inference.of(subgraph).orElse(null);
    onnx.initializers().forEach(i -> initializers.put(i.name(), i));
    constants.putAll(initializers);
    this.kernels = null;
  }

  /**
   * Converts the nodes of {@code subgraph}, nested in this conversion's graph, into {@code body}:
   * {@code bindings} give the tensors of its inputs and of the outer values it reads (as arguments
   * of the function {@code body} belongs to). Returns the tensors of its outputs.
   *
   * @throws SubgraphException when some node of it cannot be converted (recorded for the final error)
   */
  List<TfRef> convertSubgraph(Graph subgraph, TfGraph body, Map<String, TfRef> bindings) throws OpExportException {
    OnnxToTf child = new OnnxToTf(this, subgraph, body);
    child.values.putAll(bindings);
    int before = failures();
    child.convertNodes();
    if (failures() > before) {
      throw new SubgraphException();
    }
    List<TfRef> out = new ArrayList<>();
    for (ValueInfo o : subgraph.outputs()) {
      out.add(child.value(o.name()));
    }
    return out;
  }

  private int failures() {
    return unsupported.values().stream().mapToInt(List::size).sum() + problems.size();
  }

  /** A subgraph has nodes that cannot be converted, which are already recorded. */
  static final class SubgraphException extends OpExportException {
    private static final long serialVersionUID = 1L;

    SubgraphException() {
      super("its subgraph cannot be converted");
    }
  }

  /** Converts {@code model}'s main graph with the handlers of {@code registry}. */
  static OnnxToTf convert(Model model, ExportRegistry registry, boolean weightsAsConstants) throws ModelException {
    return convert(model, registry, Options.of(weightsAsConstants));
  }

  /** Converts {@code model}'s main graph with the handlers of {@code registry} and {@code options}. */
  static OnnxToTf convert(Model model, ExportRegistry registry, Options options) throws ModelException {
    OnnxToTf c = new OnnxToTf(model, options);
    c.run(registry, opset(model));
    return c;
  }

  private static long opset(Model model) {
    return model.opsetVersion("").orElse(model.opsetVersion("ai.onnx").orElse(1));
  }

  private void run(ExportRegistry registry, long opset) throws ModelException {
    this.registry = registry;
    this.opset = opset;
    NhwcSignature.checkNames("--inputs-as-nhwc", options.inputsAsNhwc(), onnx.inputs());
    NhwcSignature.checkNames("--outputs-as-nhwc", options.outputsAsNhwc(), onnx.outputs());
    for (ValueInfo in : onnx.inputs()) {
      if (!initializers.containsKey(in.name())) {
        placeholder(in);
      }
    }
    convertNodes();
    if (!unsupported.isEmpty() || !problems.isEmpty()) {
      throw new UnsupportedOnnxOpsException(unsupported, problems);
    }
    for (ValueInfo out : onnx.outputs()) {
      TfRef r = value(out.name());
      long[] d = dims(out.name()).orElse(null);
      if (options.outputsAsNhwc().contains(out.name())) {
        d = NhwcSignature.nhwc("output", out.name(), d);
        r = NhwcSignature.transpose(graph, r, NhwcSignature.NCHW_TO_NHWC, out.name() + "/to_nhwc");
      }
      TfRef id = graph.op("Identity", out.name()).input(r).attr("T", r.dtype()).output(r.dtype());
      outputs.add(new SignatureTensor(out.name(), id, d));
    }
  }

  private void convertNodes() {
    for (Node n : onnx.nodes()) {
      String label = n.domain().isEmpty() || n.domain().equals("ai.onnx") ? n.opType() : n.domain() + ":" + n.opType();
      Optional<ExportHandler> h = registry.handler(n.domain(), n.opType(), opset);
      if (h.isEmpty()) {
        String key = registry.knows(n.domain(), n.opType()) ? label + " before opset " + opset : label;
        unsupported.computeIfAbsent(key, k -> new ArrayList<>()).add(n.label());
        continue;
      }
      try {
        h.get().export(new ExportContext(this, n, opset));
      } catch (SubgraphException e) {
        // Its nodes' problems are recorded already.
      } catch (OpExportException | MissingValueException e) {
        problems.add("'" + n.name() + "' (" + label + "): " + e.getMessage());
      }
    }
  }

  private void placeholder(ValueInfo in) throws ModelException {
    if (!(in.type().orElse(null) instanceof Type.TensorType t)) {
      throw new UnsupportedModelException("graph input '" + in.name() + "' is not a tensor, which a SavedModel signature cannot take");
    }
    DataType dtype;
    try {
      dtype = ExportContext.dtype(t.elementType());
    } catch (OpExportException e) {
      throw new UnsupportedModelException("graph input '" + in.name() + "': " + e.getMessage());
    }
    long[] dims = t.shape().map(s -> s.dims().stream().mapToLong(d -> d instanceof Dim.Fixed f ? f.size() : -1).toArray())
        .orElse(null);
    boolean asNhwc = options.inputsAsNhwc().contains(in.name());
    long[] signature = asNhwc ? NhwcSignature.nhwc("input", in.name(), dims) : dims;
    TfRef r = graph.op("Placeholder", in.name()).attr("dtype", dtype).attr("shape", TfGraph.shape(signature)).output(dtype);
    inputs.add(new SignatureTensor(in.name(), r, signature));
    bind(in.name(), asNhwc ? NhwcSignature.transpose(graph, r, NhwcSignature.NHWC_TO_NCHW, in.name() + "/to_nchw") : r);
  }

  /** Thrown when a node reads a value nothing produced; reported with the node. */
  static final class MissingValueException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MissingValueException(String message) {
      super(message);
    }
  }

  TfRef value(String name) {
    TfRef r = values.get(name);
    if (r != null) {
      return r;
    }
    Tensor init = initializers.get(name);
    if (init == null) {
      throw new MissingValueException("value '" + name + "' is not produced by a converted node");
    }
    r = weightsAsConstants || init.elementCount() <= SMALL_CONSTANT_ELEMENTS ? constant(init) : variable(init);
    values.put(name, r);
    return r;
  }

  private TfRef constant(Tensor t) {
    try {
      return graph.constant(t.name(), ExportContext.dtype(t.elementType()), t.dims(), t.data().bytes());
    } catch (OpExportException e) {
      throw new MissingValueException("initializer '" + t.name() + "': " + e.getMessage());
    }
  }

  /**
   * The read of kernel initializer {@code name} stored permuted (see {@link KernelVariables}), or
   * empty when it is not such a weight or is read elsewhere, or is bound already.
   */
  Optional<TfRef> storedKernel(ExportContext c, String name, long[] perm, long[] dims) {
    Tensor init = initializers.get(name);
    if (kernels == null || init == null || values.containsKey(name) || init.elementCount() <= SMALL_CONSTANT_ELEMENTS) {
      return Optional.empty();
    }
    return kernels.read(c, init, perm, dims, p -> variable(init, p));
  }

  /** A resource variable: VarHandleOp and its ReadVariableOp; the value goes to the checkpoint. */
  private TfRef variable(Tensor t) {
    return variable(t, new BundleValue.Whole(t));
  }

  /** A resource variable for initializer {@code t}, saved as {@code value} (of the dims it declares). */
  private TfRef variable(Tensor t, BundleValue value) {
    DataType dtype;
    try {
      dtype = ExportContext.dtype(t.elementType());
    } catch (OpExportException e) {
      throw new MissingValueException("initializer '" + t.name() + "': " + e.getMessage());
    }
    String name = graph.uniqueName(t.name());
    TfRef handle = graph.op("VarHandleOp", name).attr("dtype", dtype).attr("shape", TfGraph.shape(value.dims()))
        .attr("shared_name", name).attr("container", "").output(DataType.DT_RESOURCE);
    TfRef read = graph.op("ReadVariableOp", name + "/Read/ReadVariableOp").input(handle).attr("dtype", dtype)
        .output(dtype);
    variables.add(new Variable(name, value, handle, read));
    return read;
  }

  void bind(String name, TfRef ref) {
    values.put(name, ref);
    dims(name).ifPresent(d -> knownDims.putIfAbsent(ref.tensorName(), d));
  }

  /** The static dims ONNX inference gave the values bound so far, by TensorFlow tensor name. */
  Map<String, long[]> knownDims() {
    return knownDims;
  }

  Optional<Tensor> constant(String name) {
    Tensor c = constants.get(name);
    if (c == null && parent != null && onnx.inputs().stream().noneMatch(i -> i.name().equals(name))) {
      // An outer value the subgraph reads: a constant there is one here too.
      return parent.constant(name);
    }
    return Optional.ofNullable(c);
  }

  void constant(String name, Tensor value) {
    constants.put(name, value);
  }

  Optional<Type> type(String name) {
    Tensor c = constants.get(name);
    if (c != null) {
      return Optional.of(c.type());
    }
    Optional<Type> t = types == null ? Optional.empty() : types.type(name);
    return t.isEmpty() && parent != null ? parent.type(name) : t;
  }

  Optional<long[]> dims(String name) {
    return type(name).flatMap(t -> t instanceof Type.TensorType tt ? tt.shape() : Optional.empty())
        .map(s -> s.dims().stream().mapToLong(d -> d instanceof Dim.Fixed f ? f.size() : -1).toArray());
  }

  TfGraph graph() {
    return graph;
  }

  List<SignatureTensor> inputs() {
    return inputs;
  }

  List<SignatureTensor> outputs() {
    return outputs;
  }

  List<Variable> variables() {
    return variables;
  }
}
