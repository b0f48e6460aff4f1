package dev.modelbridge.infer;

import dev.modelbridge.ir.Dim;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Shape;
import dev.modelbridge.ir.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** If, Loop and Scan: output types from the outputs of their subgraphs. */
final class ControlFlowOps {
  private ControlFlowOps() {}

  static void register(HandlerTable t) {
    t.register("", ControlFlowOps::ifOp, "If");
    t.register("", ControlFlowOps::loop, "Loop");
    t.register("", ControlFlowOps::scan, "Scan");
  }

  private static void ifOp(NodeContext c) {
    Optional<Graph> thenG = c.attrGraph("then_branch");
    Optional<Graph> elseG = c.attrGraph("else_branch");
    List<Optional<Type>> a = thenG.map(g -> c.inferSubgraph(g, List.of())).orElse(List.of());
    List<Optional<Type>> b = elseG.map(g -> c.inferSubgraph(g, List.of())).orElse(List.of());
    for (int i = 0; i < c.outputCount(); i++) {
      Optional<Type> x = i < a.size() ? a.get(i) : Optional.empty();
      Optional<Type> y = i < b.size() ? b.get(i) : Optional.empty();
      final int k = i;
      join(x, y).ifPresent(t -> c.output(k, t));
    }
  }

  /** The type both branches agree on: same element type, dims kept where they agree. */
  static Optional<Type> join(Optional<Type> x, Optional<Type> y) {
    if (x.isEmpty() || y.isEmpty()) {
      return x.isPresent() ? x : y;
    }
    if (x.get() instanceof Type.TensorType a && y.get() instanceof Type.TensorType b) {
      ElementType e = a.elementType() == ElementType.UNDEFINED ? b.elementType() : a.elementType();
      if (a.shape().isEmpty() || b.shape().isEmpty() || a.shape().get().rank() != b.shape().get().rank()) {
        return Optional.of(Types.tensor(e, Optional.empty()));
      }
      List<Dim> dims = new ArrayList<>();
      for (int i = 0; i < a.shape().get().rank(); i++) {
        Dim p = a.shape().get().dims().get(i);
        Dim q = b.shape().get().dims().get(i);
        dims.add(p.equals(q) ? p : Dim.unknown());
      }
      return Optional.of(Types.tensor(e, dims));
    }
    return x;
  }

  private static void loop(NodeContext c) {
    Optional<Graph> body = c.attrGraph("body");
    if (body.isEmpty()) {
      return;
    }
    List<Optional<Type>> ins = new ArrayList<>();
    ins.add(Optional.of(Type.tensor(ElementType.INT64)));
    ins.add(Optional.of(Type.tensor(ElementType.BOOL)));
    int carried = Math.max(0, c.inputCount() - 2);
    List<Optional<Type>> full = new ArrayList<>(ins);
    for (int i = 0; i < carried; i++) {
      full.add(c.type(i + 2));
      // Carried values may change shape between iterations: without proof, the element type only.
      ins.add(c.type(i + 2).map(t -> t instanceof Type.TensorType tt ? Types.tensor(tt.elementType(), Optional.empty()) : t));
    }
    // The shapes are kept when one iteration, started from them, gives them back.
    List<Optional<Type>> trial = c.trySubgraph(body.get(), full);
    boolean stable = true;
    for (int i = 0; i < carried; i++) {
      Optional<Type> o = i + 1 < trial.size() ? trial.get(i + 1) : Optional.empty();
      stable &= o.isPresent() && full.get(i + 2).isPresent() && sameShape(o.get(), full.get(i + 2).get());
    }
    List<Optional<Type>> outs = c.inferSubgraph(body.get(), stable ? full : ins);
    for (int i = 0; i < c.outputCount(); i++) {
      Optional<Type> o = i + 1 < outs.size() ? outs.get(i + 1) : Optional.empty();
      if (i < carried) {
        final int k = i;
        join(o, c.type(i + 2)).ifPresent(t -> c.output(k, t));
      } else if (o.isPresent() && o.get() instanceof Type.TensorType tt) {
        // A scan output stacks the per-iteration values along a new first axis.
        c.output(i, tt.elementType(), tt.shape().map(s -> prepend(Dim.unknown(), s.dims(), 0)));
      }
    }
  }

  private static boolean sameShape(Type a, Type b) {
    return a instanceof Type.TensorType x && b instanceof Type.TensorType y && x.shape().isPresent()
        && x.shape().equals(y.shape());
  }

  private static void scan(NodeContext c) {
    Optional<Graph> body = c.attrGraph("body");
    if (body.isEmpty()) {
      return;
    }
    if (c.opset() < 9) {
      scan8(c, body.get());
      return;
    }
    int m = (int) c.attrInt("num_scan_inputs", 0);
    int n = c.inputCount() - m;
    long[] inAxes = c.attrInts("scan_input_axes").orElse(new long[m]);
    List<Optional<Type>> ins = new ArrayList<>();
    Dim length = Dim.unknown();
    for (int i = 0; i < c.inputCount(); i++) {
      Optional<Type> t = c.type(i);
      if (i >= n && c.dims(i).isPresent()) {
        List<Dim> d = new ArrayList<>(c.dims(i).get());
        int axis = Dims.axis(inAxes[i - n], d.size());
        length = Types.unify(length, d.remove(axis));
        t = Optional.of(Types.tensor(c.elem(i).orElse(ElementType.UNDEFINED), d));
      }
      ins.add(t);
    }
    List<Optional<Type>> outs = c.inferSubgraph(body.get(), ins);
    int k = outs.size() - n;
    long[] outAxes = c.attrInts("scan_output_axes").orElse(new long[Math.max(k, 0)]);
    for (int i = 0; i < c.outputCount() && i < outs.size(); i++) {
      Optional<Type> o = outs.get(i);
      if (i < n) {
        final int at = i;
        o.ifPresent(t -> c.output(at, t));
      } else if (o.isPresent() && o.get() instanceof Type.TensorType tt) {
        Dim len = length;
        int slot = i - n;
        c.output(i, tt.elementType(), tt.shape().map(s -> {
          int axis = (int) (outAxes[slot] < 0 ? outAxes[slot] + s.rank() + 1 : outAxes[slot]);
          return prepend(len, s.dims(), axis);
        }));
      }
    }
  }

  /** Scan-8: a batch axis first on every input and output, the scan axis second; input 0 is sequence_lens. */
  private static void scan8(NodeContext c, Graph body) {
    int m = (int) c.attrInt("num_scan_inputs", 0);
    int n = c.inputCount() - 1 - m;
    Dim batch = Dim.unknown();
    Dim length = Dim.unknown();
    List<Optional<Type>> ins = new ArrayList<>();
    for (int i = 1; i < c.inputCount(); i++) {
      Optional<List<Dim>> d = c.dims(i);
      int drop = i <= n ? 1 : 2;
      if (d.isPresent() && d.get().size() >= drop) {
        batch = Types.unify(batch, d.get().get(0));
        if (drop == 2) {
          length = Types.unify(length, d.get().get(1));
        }
        ins.add(Optional.of(Types.tensor(c.elem(i).orElse(ElementType.UNDEFINED), d.get().subList(drop, d.get().size()))));
      } else {
        ins.add(c.type(i));
      }
    }
    List<Optional<Type>> outs = c.inferSubgraph(body, ins);
    for (int i = 0; i < c.outputCount() && i < outs.size(); i++) {
      if (outs.get(i).isPresent() && outs.get(i).get() instanceof Type.TensorType tt) {
        Dim b = batch;
        Dim len = length;
        boolean state = i < n;
        c.output(i, tt.elementType(), tt.shape().map(s -> {
          Shape withLen = state ? s : prepend(len, s.dims(), 0);
          return prepend(b, withLen.dims(), 0);
        }));
      }
    }
  }

  private static Shape prepend(Dim d, List<Dim> dims, int at) {
    List<Dim> out = new ArrayList<>(dims);
    out.add(at, d);
    return new Shape(out);
  }
}
