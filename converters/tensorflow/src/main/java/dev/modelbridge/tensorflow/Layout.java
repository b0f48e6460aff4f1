package dev.modelbridge.tensorflow;

import dev.modelbridge.UnsupportedModelException;
import dev.modelbridge.format.ReadOptions;
import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.Dim;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.Shape;
import dev.modelbridge.ir.Type;
import dev.modelbridge.ir.ValueInfo;
import dev.modelbridge.passes.PassManager;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The layout steps after conversion: inputs made channels-first on request, then the transpose
 * optimisation that removes the Transposes the NHWC handlers put around each channels-first op.
 */
final class Layout {
  /** Format option: {@code false} keeps every Transpose the handlers emit (for comparisons). */
  static final String OPTIMIZE = "optimize";
  /** Format option: comma-separated 4-D inputs to take as NCHW instead of TensorFlow's NHWC. */
  static final String INPUTS_AS_NCHW = "inputsAsNchw";

  private static final long[] NCHW_TO_NHWC = {0, 2, 3, 1};

  private Layout() {}

  static Graph apply(Graph graph, ReadOptions options) throws UnsupportedModelException {
    Graph g = graph;
    Optional<String> nchw = options.option(INPUTS_AS_NCHW).filter(s -> !s.isBlank());
    if (nchw.isPresent()) {
      g = inputsAsNchw(g, nchw.get());
    }
    boolean optimize = !options.option(OPTIMIZE).map(String::trim).orElse("true").equalsIgnoreCase("false");
    return optimize ? PassManager.transposeOptimizer().run(g) : g;
  }

  /** Each named 4-D input becomes NCHW, transposed to NHWC for the nodes that read it. */
  private static Graph inputsAsNchw(Graph g, String spec) throws UnsupportedModelException {
    Set<String> names = new HashSet<>();
    for (String s : spec.split(",")) {
      names.add(s.trim());
    }
    List<ValueInfo> inputs = new ArrayList<>();
    List<Node> transposes = new ArrayList<>();
    java.util.Map<String, String> renames = new java.util.HashMap<>();
    for (ValueInfo v : g.inputs()) {
      if (!names.remove(v.name())) {
        inputs.add(v);
        continue;
      }
      Type.TensorType t = v.type().filter(x -> x instanceof Type.TensorType).map(x -> (Type.TensorType) x)
          .orElseThrow(() -> new UnsupportedModelException("input '" + v.name() + "' has no tensor type to make NCHW"));
      Shape s = t.shape().filter(x -> x.rank() == 4).orElseThrow(() ->
          new UnsupportedModelException("input '" + v.name() + "' is not 4-D, so it cannot be taken as NCHW"));
      List<Dim> d = s.dims();
      Shape nchw = new Shape(List.of(d.get(0), d.get(3), d.get(1), d.get(2)));
      inputs.add(new ValueInfo(v.name(), Optional.of(new Type.TensorType(t.elementType(), Optional.of(nchw),
          t.denotation())), v.docString(), v.metadata()));
      String nhwc = v.name() + "/nhwc";
      renames.put(v.name(), nhwc);
      transposes.add(Node.builder("Transpose").name(nhwc).inputs(v.name()).outputs(nhwc)
          .attribute(Attribute.ints("perm", NCHW_TO_NHWC)).build());
    }
    if (!names.isEmpty()) {
      throw new UnsupportedModelException("inputsAsNchw names " + names + ", which are not graph inputs");
    }
    List<Node> nodes = new ArrayList<>(transposes);
    for (Node n : g.nodes()) {
      List<String> in = n.inputs().stream().map(i -> renames.getOrDefault(i, i)).toList();
      nodes.add(new Node(n.name(), n.domain(), n.opType(), n.overload(), in, n.outputs(), n.attributes(),
          n.docString(), n.metadata()));
    }
    Graph.Builder b = Graph.builder(g.name()).docString(g.docString()).nodes(nodes);
    inputs.forEach(b::input);
    g.outputs().forEach(b::output);
    g.initializers().forEach(b::initializer);
    g.valueInfos().forEach(b::valueInfo);
    return b.build();
  }
}
