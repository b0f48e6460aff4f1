package dev.modelbridge.onnx;

import dev.modelbridge.InvalidModelException;
import dev.modelbridge.ModelException;
import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.SparseTensor;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.TensorData;
import java.util.Arrays;

/**
 * What the writer refuses to put in a file: a tensor with a negative dimension, or whose bytes do
 * not match what its dims and data type call for. The reader keeps such tensors so that the
 * validator can report them precisely ({@code tensor.negative-dim}, {@code tensor.data-size});
 * writing one would pass a malformed file on as if a conversion had made it sound.
 */
final class WriteChecks {
  private WriteChecks() {}

  static void check(Model model) throws ModelException {
    graph(model.graph());
    for (var t : model.trainingInfo()) {
      if (t.initialization().isPresent()) {
        graph(t.initialization().get());
      }
      if (t.algorithm().isPresent()) {
        graph(t.algorithm().get());
      }
    }
    for (var f : model.functions()) {
      try {
        for (Node n : f.nodes()) {
          node(n);
        }
      } catch (ModelException e) {
        throw e.within("function '" + f.domain() + ":" + f.name() + "'");
      }
    }
  }

  private static void graph(Graph g) throws ModelException {
    try {
      for (Tensor t : g.initializers()) {
        tensor(t, "initializer");
      }
      for (SparseTensor s : g.sparseInitializers()) {
        tensor(s.values(), "sparse initializer values");
        tensor(s.indices(), "sparse initializer indices");
      }
      for (Node n : g.nodes()) {
        node(n);
      }
    } catch (ModelException e) {
      throw e.within("graph '" + g.name() + "'");
    }
  }

  private static void node(Node n) throws ModelException {
    try {
      for (Attribute a : n.attributes()) {
        if (a instanceof Attribute.TensorAttr t) {
          tensor(t.value(), "attribute '" + a.name() + "'");
        } else if (a instanceof Attribute.TensorsAttr ts) {
          for (Tensor t : ts.values()) {
            tensor(t, "attribute '" + a.name() + "'");
          }
        } else if (a instanceof Attribute.GraphAttr g) {
          graph(g.value());
        } else if (a instanceof Attribute.GraphsAttr gs) {
          for (Graph g : gs.values()) {
            graph(g);
          }
        }
      }
    } catch (ModelException e) {
      throw e.within("node '" + n.name() + "' (" + n.opType() + ")");
    }
  }

  private static void tensor(Tensor t, String what) throws InvalidModelException {
    if (t.elementType() == dev.modelbridge.ir.ElementType.UNDEFINED) {
      throw new InvalidModelException(what + " '" + t.name() + "' has no element type (UNDEFINED); it cannot be written");
    }
    for (long d : t.dims()) {
      if (d < 0) {
        throw new InvalidModelException(what + " '" + t.name() + "' has a negative dimension "
            + Arrays.toString(t.dims()) + "; it cannot be written");
      }
    }
    if (t.elementType().isFixedWidth() && !(t.data() instanceof TensorData.StringList)) {
      long expected = t.expectedByteSize();
      if (expected < 0) {
        throw new InvalidModelException(what + " '" + t.name() + "' has dims " + Arrays.toString(t.dims())
            + " whose size overflows; it cannot be written");
      }
      if (t.data().byteSize() != expected) {
        throw new InvalidModelException(what + " '" + t.name() + "' holds " + t.data().byteSize()
            + " bytes where its dims " + Arrays.toString(t.dims()) + " and type " + t.elementType().label()
            + " call for " + expected + "; it cannot be written");
      }
    }
  }
}
