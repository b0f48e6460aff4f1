package dev.modelbridge.e2e.inference;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.Type;
import dev.modelbridge.ir.ValueInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A model without the declarations that would let inference copy answers: value_info removed and
 * graph output shapes removed, in every graph, as onnx_infer_tsv.py strips them for ONNX.
 */
final class Stripped {
  private Stripped() {}

  static Model of(Model m) {
    return m.toBuilder().graph(strip(m.graph())).build();
  }

  private static Graph strip(Graph g) {
    Graph.Builder b = g.toBuilder().clearNodes();
    List<Node> nodes = new ArrayList<>();
    for (Node n : g.nodes()) {
      List<Attribute> attrs = new ArrayList<>();
      for (Attribute a : n.attributes()) {
        if (a instanceof Attribute.GraphAttr ga) {
          attrs.add(new Attribute.GraphAttr(ga.name(), strip(ga.value()), ga.docString()));
        } else if (a instanceof Attribute.GraphsAttr gs) {
          attrs.add(new Attribute.GraphsAttr(gs.name(), gs.values().stream().map(Stripped::strip).toList(),
              gs.docString()));
        } else {
          attrs.add(a);
        }
      }
      Node.Builder nb = Node.builder(n.opType()).name(n.name()).domain(n.domain()).overload(n.overload())
          .inputs(n.inputs()).outputs(n.outputs()).attributes(attrs).docString(n.docString());
      nodes.add(nb.metadata(n.metadata()).build());
    }
    b.nodes(nodes);
    Graph stripped = b.build();
    List<ValueInfo> outputs = new ArrayList<>();
    for (ValueInfo o : g.outputs()) {
      Optional<Type> t = o.type().map(x -> x instanceof Type.TensorType tt
          ? new Type.TensorType(tt.elementType(), Optional.empty(), tt.denotation()) : x);
      outputs.add(new ValueInfo(o.name(), t, o.docString(), o.metadata()));
    }
    return new Graph(stripped.name(), stripped.nodes(), stripped.inputs(), outputs, stripped.initializers(),
        stripped.sparseInitializers(), List.of(), stripped.docString(), stripped.quantizationAnnotations(),
        stripped.metadata());
  }
}
