package dev.modelbridge.infer;

import dev.modelbridge.ir.Dim;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Element-wise ops over several inputs with numpy-style multidirectional broadcasting. */
final class BroadcastOps {
  private BroadcastOps() {}

  static void register(HandlerTable t) {
    t.register("", c -> arithmetic(c, true), "Add", "Sub", "Mul", "Div", "Mod", "BitShift", "BitwiseAnd",
        "BitwiseOr", "BitwiseXor", "Sum", "Max", "Min", "Mean");
    t.register("", c -> arithmetic(c, false), "Pow");
    t.register("", c -> predicate(c), "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual",
        "And", "Or", "Xor");
    t.register("", BroadcastOps::where, "Where");
    t.register("", BroadcastOps::prelu, "PRelu");
  }

  private static void arithmetic(NodeContext c, boolean sameType) {
    if (sameType) {
      sameElementType(c, 0, c.inputCount());
    }
    c.output(0, c.elem(0), shape(c, 0, c.inputCount()));
    if (c.node().opType().equals("Mul") || c.node().opType().equals("Add")
        || c.node().opType().equals("Sub") || c.node().opType().equals("Div")) {
      foldInts(c);
    }
  }

  private static void predicate(NodeContext c) {
    sameElementType(c, 0, 2);
    c.output(0, ElementType.BOOL, shape(c, 0, 2));
  }

  private static void where(NodeContext c) {
    sameElementType(c, 1, 3);
    c.output(0, c.elem(1).isPresent() ? c.elem(1) : c.elem(2), shape(c, 0, 3));
  }

  private static void prelu(NodeContext c) {
    sameElementType(c, 0, 2);
    // Unidirectional: the slope broadcasts to X, the output has X's shape.
    c.output(0, c.elem(0), c.shape(0));
  }

  /** Reports the first input whose element type differs from an earlier one's. */
  static void sameElementType(NodeContext c, int from, int to) {
    Optional<ElementType> first = Optional.empty();
    int firstIndex = -1;
    for (int i = from; i < to; i++) {
      Optional<ElementType> e = c.elem(i);
      if (e.isEmpty()) {
        continue;
      }
      if (first.isEmpty()) {
        first = e;
        firstIndex = i;
      } else if (first.get() != e.get()) {
        c.incompatible(c.inputLabel(i), c.inputLabel(i) + " of " + c.node().opType() + " is "
            + e.get().label() + " but " + c.inputLabel(firstIndex) + " is " + first.get().label()
            + "; both must have the same element type");
        return;
      }
    }
  }

  /** The broadcast shape of inputs [from, to); reports fixed sizes that cannot broadcast. */
  static Optional<Shape> shape(NodeContext c, int from, int to) {
    if (c.opset() < 7 && c.opset() > 0 && to - from == 2) {
      return c.shape(from); // before opset 7, B broadcasts to A's shape (or has it)
    }
    List<List<Dim>> shapes = new ArrayList<>();
    for (int i = from; i < to; i++) {
      if (!c.hasInput(i)) {
        continue;
      }
      Optional<List<Dim>> d = c.dims(i);
      if (d.isEmpty()) {
        return Optional.empty();
      }
      shapes.add(d.get());
    }
    if (shapes.isEmpty()) {
      return Optional.empty();
    }
    int[] conflict = new int[1];
    Optional<List<Dim>> out = Dims.broadcast(shapes, conflict);
    if (out.isEmpty()) {
      StringBuilder b = new StringBuilder();
      for (int i = from; i < to; i++) {
        b.append(b.length() == 0 ? "" : ", ").append(c.inputLabel(i)).append(' ')
            .append(c.shape(i).map(Shape::toString).orElse("?"));
      }
      c.incompatible(c.inputLabel(from), "the shapes of " + c.node().opType() + " cannot broadcast: "
          + b + " (sizes that differ must be 1)");
    }
    return out.map(Shape::new);
  }

  /** Element-wise arithmetic on known shape data (Shape -> Mul -> Reshape chains). */
  private static void foldInts(NodeContext c) {
    Optional<IntData> a = c.ints(0);
    Optional<IntData> b = c.ints(1);
    if (a.isEmpty() || b.isEmpty() || c.inputCount() != 2) {
      return;
    }
    int n = Math.max(a.get().size(), b.get().size());
    if (a.get().size() != n && a.get().size() != 1 || b.get().size() != n && b.get().size() != 1) {
      return;
    }
    String op = c.node().opType();
    List<Dim> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Dim x = a.get().values().get(a.get().size() == 1 ? 0 : i);
      Dim y = b.get().values().get(b.get().size() == 1 ? 0 : i);
      out.add(switch (op) {
        case "Add" -> Dims.apply(x, y, Math::addExact);
        case "Sub" -> Dims.apply(x, y, Math::subtractExact);
        case "Mul" -> Dims.isFixed(y, 1) ? x : Dims.isFixed(x, 1) ? y : Dims.apply(x, y, Math::multiplyExact);
        default -> Dims.isFixed(y, 1) ? x : Dims.apply(x, y, (p, q) -> q == 0 ? p : Math.floorDiv(p, q));
      });
    }
    c.outputData(0, new IntData(out, a.get().scalar() && b.get().scalar()));
  }
}
