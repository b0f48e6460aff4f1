package dev.modelbridge.infer;

import dev.modelbridge.ir.Dim;
import dev.modelbridge.ir.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Ops that rearrange a tensor's dims: Reshape, Flatten, Squeeze, Unsqueeze, Transpose, Expand, Tile. */
final class ShapeOps {
  private ShapeOps() {}

  static void register(HandlerTable t) {
    t.register("", ShapeOps::reshape, "Reshape");
    t.register("", ShapeOps::flatten, "Flatten");
    t.register("", ShapeOps::squeeze, "Squeeze");
    t.register("", ShapeOps::unsqueeze, "Unsqueeze");
    t.register("", ShapeOps::transpose, "Transpose");
    t.register("", ShapeOps::expand, "Expand");
    t.register("", ShapeOps::tile, "Tile");
    t.register("", c -> spaceDepth(c, true), "DepthToSpace");
    t.register("", c -> spaceDepth(c, false), "SpaceToDepth");
    PadResize.register(t);
  }

  private static void reshape(NodeContext c) {
    Optional<IntData> target = c.opset() >= 5 || c.opset() == 0 ? c.ints(1)
        : c.attrInts("shape").map(IntData::of);
    if (target.isEmpty()) {
      // The rank is known when the shape input's length is.
      Optional<List<Dim>> sd = c.opset() >= 5 ? c.dims(1) : Optional.empty();
      c.output(0, c.elem(0), sd.filter(d -> d.size() == 1).flatMap(d -> Dims.size(d.get(0)))
          .map(n -> new Shape(Dims.unknowns((int) (long) n))));
      return;
    }
    boolean allowZero = c.attrInt("allowzero", 0) == 1;
    Optional<List<Dim>> in = c.dims(0);
    List<Dim> out = new ArrayList<>();
    int minusOne = -1;
    for (int i = 0; i < target.get().size(); i++) {
      Dim d = target.get().values().get(i);
      if (Dims.isFixed(d, 0) && !allowZero) {
        out.add(in.isPresent() && i < in.get().size() ? in.get().get(i) : Dim.unknown());
      } else if (Dims.isFixed(d, -1)) {
        minusOne = i;
        out.add(Dim.unknown());
      } else {
        out.add(d);
      }
    }
    if (minusOne >= 0 && in.isPresent()) {
      out.set(minusOne, inferred(in.get(), out, minusOne));
    }
    c.output(0, c.elem(0), out);
    c.ints(0).filter(d -> out.size() <= 1).ifPresent(d -> c.outputData(0, new IntData(d.values(), out.isEmpty())));
  }

  /** The size of the -1 entry: the input's elements over the other output dims, cancelling equal dims. */
  private static Dim inferred(List<Dim> in, List<Dim> out, int skip) {
    List<Dim> num = new ArrayList<>(in);
    List<Dim> den = new ArrayList<>(out);
    den.remove(skip);
    // Cancel equal symbolic dims, so [N, C, H, W] -> [N, -1] gives C*H*W even when N is symbolic.
    for (java.util.Iterator<Dim> it = den.iterator(); it.hasNext();) {
      Dim d = it.next();
      if (d instanceof Dim.Symbolic s) {
        for (int j = 0; j < num.size(); j++) {
          if (num.get(j) instanceof Dim.Symbolic t && t.name().equals(s.name())) {
            num.remove(j);
            it.remove();
            break;
          }
        }
      }
    }
    Optional<Long> n = Dims.product(num);
    Optional<Long> m = Dims.product(den);
    if (n.isPresent() && m.isPresent() && m.get() != 0 && n.get() % m.get() == 0) {
      return Dim.of(n.get() / m.get());
    }
    return Dim.unknown();
  }

  private static void flatten(NodeContext c) {
    Optional<List<Dim>> in = c.dims(0);
    if (in.isEmpty()) {
      c.output(0, c.elem(0), Optional.of(new Shape(Dims.unknowns(2))));
      return;
    }
    int r = in.get().size();
    long a = c.attrInt("axis", 1);
    int axis = (int) (a < 0 ? a + r : a);
    if (axis < 0 || axis > r) {
      return;
    }
    c.output(0, c.elem(0), List.of(productDim(in.get().subList(0, axis)), productDim(in.get().subList(axis, r))));
  }

  static Dim productDim(List<Dim> dims) {
    if (dims.size() == 1) {
      return dims.get(0);
    }
    return Dims.product(dims).map(Dim::of).orElse(Dim.unknown());
  }

  /** The axes of Squeeze/Unsqueeze/Reduce: an attribute before {@code inputSince}, input 1 from then. */
  static Optional<long[]> axes(NodeContext c, long inputSince) {
    if (c.opset() >= inputSince) {
      return c.hasInput(1) ? c.longs(1) : Optional.of(new long[0]);
    }
    return Optional.of(c.attrInts("axes").orElse(new long[0]));
  }

  private static void squeeze(NodeContext c) {
    Optional<long[]> axes = axes(c, 13);
    Optional<List<Dim>> in = c.dims(0);
    if (in.isEmpty() || axes.isEmpty()) {
      c.output(0, c.elem(0), Optional.empty());
      return;
    }
    int r = in.get().size();
    List<Dim> out = new ArrayList<>();
    if (axes.get().length == 0) {
      for (Dim d : in.get()) {
        if (!(d instanceof Dim.Fixed)) {
          c.output(0, c.elem(0), Optional.empty()); // which dims are 1 is not known
          return;
        }
        if (!Dims.isFixed(d, 1)) {
          out.add(d);
        }
      }
    } else {
      boolean[] drop = new boolean[r];
      for (long a : axes.get()) {
        drop[Dims.axis(a, r)] = true;
      }
      for (int i = 0; i < r; i++) {
        if (!drop[i]) {
          out.add(in.get().get(i));
        }
      }
    }
    c.output(0, c.elem(0), out);
    c.ints(0).filter(d -> d.size() == 1 && out.isEmpty()).ifPresent(d -> c.outputData(0, new IntData(d.values(), true)));
  }

  private static void unsqueeze(NodeContext c) {
    Optional<long[]> axes = axes(c, 13);
    Optional<List<Dim>> in = c.dims(0);
    if (in.isEmpty() || axes.isEmpty()) {
      c.output(0, c.elem(0), Optional.empty());
      return;
    }
    int r = in.get().size() + axes.get().length;
    boolean[] added = new boolean[r];
    for (long a : axes.get()) {
      added[Dims.axis(a, r)] = true;
    }
    List<Dim> out = new ArrayList<>();
    int j = 0;
    for (int i = 0; i < r; i++) {
      out.add(added[i] ? Dim.of(1) : in.get().get(j++));
    }
    c.output(0, c.elem(0), out);
    c.ints(0).filter(d -> d.scalar() && r == 1).ifPresent(d -> c.outputData(0, new IntData(d.values(), false)));
  }

  private static void transpose(NodeContext c) {
    Optional<List<Dim>> in = c.dims(0);
    if (in.isEmpty()) {
      c.output(0, c.elem(0), Optional.empty());
      return;
    }
    int r = in.get().size();
    long[] perm = c.attrInts("perm").orElseGet(() -> {
      long[] p = new long[r];
      for (int i = 0; i < r; i++) {
        p[i] = r - 1 - i;
      }
      return p;
    });
    List<Dim> out = new ArrayList<>();
    for (long p : perm) {
      out.add(in.get().get(Dims.axis(p, r)));
    }
    c.output(0, c.elem(0), out);
  }

  private static void expand(NodeContext c) {
    Optional<IntData> shape = c.ints(1);
    Optional<List<Dim>> in = c.dims(0);
    if (shape.isEmpty() || in.isEmpty()) {
      Optional<Long> len = c.dims(1).filter(d -> d.size() == 1).flatMap(d -> Dims.size(d.get(0)));
      // Unknown target sizes still keep the input's sizes other than 1.
      c.output(0, c.elem(0), in.isPresent() && len.isPresent()
          ? Dims.broadcast(List.of(in.get(), Dims.unknowns((int) (long) len.get())), new int[1]).map(Shape::new)
          : Optional.empty());
      return;
    }
    int[] conflict = new int[1];
    Optional<List<Dim>> out = Dims.broadcast(List.of(in.get(), shape.get().values()), conflict);
    if (out.isEmpty()) {
      c.incompatible(c.inputLabel(1), "Expand cannot broadcast " + c.shape(0).get() + " to the shape "
          + shape.get().values());
    }
    c.output(0, c.elem(0), out.map(Shape::new));
  }

  private static void tile(NodeContext c) {
    Optional<List<Dim>> in = c.dims(0);
    if (in.isEmpty()) {
      c.output(0, c.elem(0), Optional.empty());
      return;
    }
    Optional<long[]> repeats = c.longs(1);
    List<Dim> out = new ArrayList<>();
    for (int i = 0; i < in.get().size(); i++) {
      long rep = repeats.isPresent() && repeats.get().length == in.get().size() ? repeats.get()[i] : -1;
      out.add(rep == 1 ? in.get().get(i) : rep < 0 ? Dim.unknown() : Dims.apply(in.get().get(i), Dim.of(rep), Math::multiplyExact));
    }
    c.output(0, c.elem(0), out);
  }

  private static void spaceDepth(NodeContext c, boolean toSpace) {
    Optional<List<Dim>> in = c.dims(0);
    long b = c.attrInt("blocksize", 1);
    if (in.isEmpty() || in.get().size() != 4) {
      c.output(0, c.elem(0), Optional.empty());
      return;
    }
    List<Dim> d = in.get();
    java.util.function.LongBinaryOperator div = (x, y) -> x / y;
    if (toSpace) {
      c.output(0, c.elem(0), List.of(d.get(0), Dims.apply(d.get(1), Dim.of(b * b), div),
          Dims.apply(d.get(2), Dim.of(b), Math::multiplyExact), Dims.apply(d.get(3), Dim.of(b), Math::multiplyExact)));
    } else {
      c.output(0, c.elem(0), List.of(d.get(0), Dims.apply(d.get(1), Dim.of(b * b), Math::multiplyExact),
          Dims.apply(d.get(2), Dim.of(b), div), Dims.apply(d.get(3), Dim.of(b), div)));
    }
  }
}
