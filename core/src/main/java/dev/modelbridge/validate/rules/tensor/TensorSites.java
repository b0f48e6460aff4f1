package dev.modelbridge.validate.rules.tensor;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.SparseTensor;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.validate.GraphScope;
import dev.modelbridge.validate.Location;
import dev.modelbridge.validate.RuleContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Every constant tensor of a model, with where it is: the initializers and sparse initializers of
 * every graph (nested ones included), and tensor attributes of every node (Constant values),
 * function bodies included. Computed once per model and shared by the tensor rules.
 */
final class TensorSites {

  /** A dense tensor and its location; {@code what} names it in messages ("initializer 'w'"). */
  record Dense(Location where, String what, Tensor tensor) {}

  /** A sparse tensor and its location. */
  record Sparse(Location where, String what, SparseTensor tensor) {}

  private final List<Dense> dense = new ArrayList<>();
  private final List<Sparse> sparse = new ArrayList<>();

  private TensorSites(RuleContext context) {
    for (GraphScope s : context.graphs()) {
      for (Tensor t : s.graph().initializers()) {
        String what = "initializer '" + t.name() + "'";
        dense.add(new Dense(s.location().atField(what), what, t));
      }
      for (SparseTensor t : s.graph().sparseInitializers()) {
        addSparse(s.location().atField("sparse initializer '" + t.name() + "'"),
            "sparse initializer '" + t.name() + "'", t);
      }
      for (Node n : s.graph().nodes()) {
        for (Attribute a : n.attributes()) {
          attribute(s.at(n).atField("attribute '" + a.name() + "'"), n, a);
        }
      }
    }
  }

  static TensorSites of(RuleContext context) {
    return context.shared(TensorSites.class, () -> new TensorSites(context));
  }

  /** Dense tensors, including the values and indices of sparse ones. */
  List<Dense> dense() {
    return dense;
  }

  List<Sparse> sparse() {
    return sparse;
  }

  private void attribute(Location at, Node n, Attribute a) {
    String what = "attribute '" + a.name() + "' of " + n.opType();
    if (a instanceof Attribute.TensorAttr t) {
      dense.add(new Dense(at, what, t.value()));
    } else if (a instanceof Attribute.TensorsAttr ts) {
      for (int i = 0; i < ts.values().size(); i++) {
        dense.add(new Dense(at, what + " [" + i + "]", ts.values().get(i)));
      }
    } else if (a instanceof Attribute.SparseTensorAttr st) {
      addSparse(at, what, st.value());
    } else if (a instanceof Attribute.SparseTensorsAttr ss) {
      for (int i = 0; i < ss.values().size(); i++) {
        addSparse(at, what + " [" + i + "]", ss.values().get(i));
      }
    }
  }

  private void addSparse(Location at, String what, SparseTensor t) {
    sparse.add(new Sparse(at, what, t));
    dense.add(new Dense(at, what + " values", t.values()));
    dense.add(new Dense(at, what + " indices", t.indices()));
  }
}
