package dev.modelbridge.infer;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.Dim;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Shape;
import dev.modelbridge.ir.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Sequence and optional ops: the element types of sequences and optionals. */
final class SequenceOps {
  private SequenceOps() {}

  static void register(HandlerTable t) {
    t.register("", c -> c.output(0, seq(Optional.of(Type.tensorOfUnknownRank(dtype(c))))), "SequenceEmpty");
    t.register("", SequenceOps::construct, "SequenceConstruct");
    t.register("", c -> c.output(0, seq(ControlFlowOps.join(element(c.type(0)), c.type(1)))), "SequenceInsert");
    t.register("", c -> element(c.type(0)).ifPresent(e -> c.output(0, e)), "SequenceAt");
    t.register("", c -> c.type(0).ifPresent(e -> c.output(0, e)), "SequenceErase");
    t.register("", c -> c.output(0, ElementType.INT64, List.of()), "SequenceLength");
    t.register("", SequenceOps::splitToSequence, "SplitToSequence");
    t.register("", SequenceOps::concatFromSequence, "ConcatFromSequence");
    t.register("", SequenceOps::optional, "Optional");
    t.register("", c -> c.output(0, ElementType.BOOL, List.of()), "OptionalHasElement");
    t.register("", SequenceOps::optionalGet, "OptionalGetElement");
    t.register("", SequenceOps::sequenceMap, "SequenceMap");
  }

  private static Type seq(Optional<Type> element) {
    return new Type.SequenceType(element, "");
  }

  private static ElementType dtype(NodeContext c) {
    return c.attrInt("dtype").flatMap(code -> ElementType.fromCode((int) (long) code)).orElse(ElementType.FLOAT);
  }

  private static Optional<Type> element(Optional<Type> t) {
    return t.filter(Type.SequenceType.class::isInstance).flatMap(s -> ((Type.SequenceType) s).elementType());
  }

  private static void construct(NodeContext c) {
    Optional<Type> e = Optional.empty();
    for (int i = 0; i < c.inputCount(); i++) {
      e = i == 0 ? c.type(0) : ControlFlowOps.join(e, c.type(i));
    }
    c.output(0, seq(e));
  }

  private static void splitToSequence(NodeContext c) {
    Optional<List<Dim>> in = c.dims(0);
    if (in.isEmpty()) {
      c.output(0, seq(c.elem(0).map(Type::tensorOfUnknownRank)));
      return;
    }
    List<Dim> d = new ArrayList<>(in.get());
    int axis = Dims.axis(c.attrInt("axis", 0), d.size());
    if (!c.hasInput(1)) {
      // Pieces of size 1 along the axis, which keepdims=0 removes.
      if (c.attrInt("keepdims", 1) == 1) {
        d.set(axis, Dim.of(1));
      } else {
        d.remove(axis);
      }
    } else {
      Optional<long[]> split = c.longs(1);
      boolean even = split.isPresent() && c.rank(1).orElse(-1) == 0 && Dims.size(d.get(axis))
          .map(n -> n % split.get()[0] == 0).orElse(false);
      d.set(axis, even ? Dim.of(split.get()[0]) : Dim.unknown());
    }
    c.output(0, seq(c.elem(0).map(e -> Types.tensor(e, d))));
  }

  private static void concatFromSequence(NodeContext c) {
    Optional<Type> e = element(c.type(0));
    if (e.isEmpty() || !(e.get() instanceof Type.TensorType tt)) {
      return;
    }
    boolean newAxis = c.attrInt("new_axis", 0) == 1;
    Optional<Shape> shape = tt.shape().map(s -> {
      List<Dim> d = new ArrayList<>(s.dims());
      int r = d.size() + (newAxis ? 1 : 0);
      int axis = Dims.axis(c.attrInt("axis", 0), r);
      if (newAxis) {
        d.add(axis, Dim.unknown());
      } else {
        d.set(axis, Dim.unknown());
      }
      return new Shape(d);
    });
    c.output(0, tt.elementType(), shape);
  }

  private static void optional(NodeContext c) {
    Optional<Type> e = c.attr("type").filter(Attribute.TypeAttr.class::isInstance)
        .map(a -> ((Attribute.TypeAttr) a).value());
    c.output(0, new Type.OptionalType(e.isPresent() ? e : c.type(0), ""));
  }

  private static void optionalGet(NodeContext c) {
    Optional<Type> t = c.type(0);
    if (t.isPresent() && t.get() instanceof Type.OptionalType o) {
      o.elementType().ifPresent(e -> c.output(0, e));
    } else {
      t.ifPresent(x -> c.output(0, x));
    }
  }

  private static void sequenceMap(NodeContext c) {
    Optional<Graph> body = c.attrGraph("body");
    if (body.isEmpty()) {
      return;
    }
    List<Optional<Type>> ins = new ArrayList<>();
    for (int i = 0; i < c.inputCount(); i++) {
      Optional<Type> t = c.type(i);
      ins.add(t.isPresent() && t.get() instanceof Type.SequenceType ? element(t) : t);
    }
    List<Optional<Type>> outs = c.inferSubgraph(body.get(), ins);
    for (int i = 0; i < outs.size(); i++) {
      c.output(i, seq(outs.get(i)));
    }
  }
}
