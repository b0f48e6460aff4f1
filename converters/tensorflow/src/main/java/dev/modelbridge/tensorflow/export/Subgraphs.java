package dev.modelbridge.tensorflow.export;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.Dim;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.Type;
import dev.modelbridge.ir.ValueInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.DataType;

/**
 * ONNX subgraphs (If branches, Loop and Scan bodies) as TensorFlow function bodies. A subgraph may
 * read values of the graphs it is nested in; those become extra arguments of the function, fed by
 * the functional op from the outer graph.
 */
final class Subgraphs {
  private Subgraphs() {}

  /** A subgraph's graph and the outer values it reads, with their tensors in the outer graph. */
  record Captures(List<String> names, List<TfRef> outer) {}

  /** The outer values {@code graphs} read, bound to their tensors in {@code c}'s graph. */
  static Captures captures(ExportContext c, Graph... graphs) throws OpExportException {
    LinkedHashSet<String> names = new LinkedHashSet<>();
    for (Graph g : graphs) {
      names.addAll(freeNames(g));
    }
    List<TfRef> outer = new ArrayList<>();
    for (String n : names) {
      outer.add(c.value(n));
    }
    return new Captures(List.copyOf(names), outer);
  }

  /** The names {@code g} and the graphs nested in it read but do not define, in order of first use. */
  static List<String> freeNames(Graph g) {
    Set<String> defined = new HashSet<>();
    g.inputs().forEach(v -> defined.add(v.name()));
    g.initializers().forEach(t -> defined.add(t.name()));
    g.nodes().forEach(n -> defined.addAll(n.outputs()));
    LinkedHashSet<String> free = new LinkedHashSet<>();
    for (Node n : g.nodes()) {
      for (String in : n.inputs()) {
        if (!in.isEmpty() && !defined.contains(in)) {
          free.add(in);
        }
      }
      for (Attribute a : n.attributes()) {
        List<Graph> nested = a instanceof Attribute.GraphAttr ga ? List.of(ga.value())
            : a instanceof Attribute.GraphsAttr gs ? gs.values() : List.of();
        nested.forEach(sub -> freeNames(sub).stream().filter(x -> !defined.contains(x)).forEach(free::add));
      }
    }
    g.outputs().stream().map(ValueInfo::name).filter(x -> !defined.contains(x)).forEach(free::add);
    return new ArrayList<>(free);
  }

  /**
   * Converts {@code graph} into the body of {@code f}: its inputs bound to {@code inputs} (tensors
   * of {@code f}), the captured outer values to new arguments of {@code f}, which the returned
   * list holds after the graph's outputs.
   */
  static List<TfRef> convert(ExportContext c, TfFunction f, Graph graph, List<TfRef> inputs, Captures captures,
      List<TfRef> captureArgs) throws OpExportException {
    if (graph.inputs().size() != inputs.size()) {
      throw new OpExportException("subgraph '" + graph.name() + "' has " + graph.inputs().size() + " inputs, "
          + inputs.size() + " expected");
    }
    Map<String, TfRef> bindings = new HashMap<>();
    for (int i = 0; i < captures.names().size(); i++) {
      bindings.put(captures.names().get(i), captureArgs.get(i));
    }
    for (int i = 0; i < inputs.size(); i++) {
      bindings.put(graph.inputs().get(i).name(), inputs.get(i)); // Inputs shadow outer values of the same name.
    }
    return c.conversion().convertSubgraph(graph, f.graph(), bindings);
  }

  /** The arguments of {@code f} for the captured values, in order. */
  static List<TfRef> captureArgs(TfFunction f, Captures captures) {
    List<TfRef> out = new ArrayList<>();
    for (int i = 0; i < captures.names().size(); i++) {
      out.add(f.arg(captures.names().get(i), captures.outer().get(i).dtype()));
    }
    return out;
  }

  /** The tensor type a subgraph declares for output {@code i}, if it declares one. */
  static java.util.Optional<Type.TensorType> declared(Graph g, int i) {
    return g.outputs().get(i).type().filter(Type.TensorType.class::isInstance).map(Type.TensorType.class::cast);
  }

  /** The dims output {@code i} declares when all are fixed, else null. */
  static long[] declaredDims(Graph g, int i) {
    return declared(g, i).flatMap(Type.TensorType::shape)
        .filter(s -> s.dims().stream().allMatch(d -> d instanceof Dim.Fixed))
        .map(s -> s.dims().stream().mapToLong(d -> ((Dim.Fixed) d).size()).toArray()).orElse(null);
  }

  /** {@code x} (of one element) as a scalar. */
  static TfRef scalar(TfGraph g, String hint, TfRef x) {
    return g.op("Reshape", hint + "/scalar").input(x).input(g.int32s(hint + "/scalar_shape"))
        .attr("T", x.dtype()).attr("Tshape", DataType.DT_INT32).output(x.dtype());
  }

  static TfRef cast(TfGraph g, String hint, TfRef x, DataType to) {
    return x.dtype() == to ? x
        : g.op("Cast", hint + "/Cast").input(x).attr("SrcT", x.dtype()).attr("DstT", to).output(to);
  }
}
