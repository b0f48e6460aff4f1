package dev.modelbridge.infer;

import dev.modelbridge.ir.Dim;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Ops that join, cut or pick parts of tensors: Concat, Split, Gather family, TopK, NonZero. */
final class IndexOps {
  private IndexOps() {}

  static void register(HandlerTable t) {
    t.register("", IndexOps::concat, "Concat");
    t.register("", IndexOps::split, "Split");
    t.register("", Slice::infer, "Slice");
    t.register("", IndexOps::gather, "Gather");
    t.register("", c -> c.output(0, c.elem(0), c.shape(1)), "GatherElements");
    t.register("", IndexOps::gatherNd, "GatherND");
    t.register("", IndexOps::oneHot, "OneHot");
    t.register("", IndexOps::topK, "TopK");
    t.register("", c -> c.output(0, ElementType.INT64, c.rank(0).isPresent()
        ? Optional.of(new Shape(List.of(Dim.of(c.rank(0).getAsInt()), Dim.unknown()))) : Optional.empty()),
        "NonZero");
    t.register("", IndexOps::unique, "Unique");
    t.register("", IndexOps::compress, "Compress");
  }

  private static void concat(NodeContext c) {
    BroadcastOps.sameElementType(c, 0, c.inputCount());
    List<List<Dim>> shapes = new ArrayList<>();
    boolean allKnown = true;
    int rank = -1;
    for (int i = 0; i < c.inputCount(); i++) {
      Optional<List<Dim>> d = c.dims(i);
      if (d.isEmpty()) {
        allKnown = false;
        continue;
      }
      if (rank >= 0 && d.get().size() != rank) {
        c.incompatible(c.inputLabel(i), c.inputLabel(i) + " of Concat has rank " + d.get().size()
            + " but earlier inputs have rank " + rank);
        c.output(0, c.elem(0), Optional.empty());
        return;
      }
      rank = d.get().size();
      shapes.add(d.get());
    }
    if (rank < 0) {
      c.output(0, c.elem(0), Optional.empty());
      return;
    }
    int axis = Dims.axis(c.attrInt("axis", 1), rank);
    List<Dim> out = new ArrayList<>(shapes.get(0));
    for (int k = 0; k < rank; k++) {
      if (k == axis) {
        Dim sum = Dim.of(0);
        for (List<Dim> s : shapes) {
          sum = Dims.apply(sum, s.get(k), Math::addExact);
        }
        out.set(k, allKnown ? sum : Dim.unknown());
        continue;
      }
      for (List<Dim> s : shapes) {
        if (Types.differ(out.get(k), s.get(k))) {
          c.incompatible("attribute 'axis'", "the inputs of Concat differ in dimension " + k + " ("
              + out.get(k) + " and " + s.get(k) + "), which is not the concatenation axis " + axis);
          c.output(0, c.elem(0), Optional.empty());
          return;
        }
        out.set(k, Types.unify(out.get(k), s.get(k)));
      }
    }
    c.output(0, c.elem(0), out);
    // Concat of known 1-D shape data (Shape -> Gather -> Concat -> Reshape).
    List<Dim> data = new ArrayList<>();
    for (int i = 0; i < c.inputCount(); i++) {
      Optional<IntData> d = c.ints(i);
      if (d.isEmpty() || d.get().scalar()) {
        return;
      }
      data.addAll(d.get().values());
    }
    c.outputData(0, new IntData(data, false));
  }

  private static void split(NodeContext c) {
    Optional<List<Dim>> in = c.dims(0);
    int n = c.outputCount();
    if (in.isEmpty()) {
      for (int i = 0; i < n; i++) {
        c.output(i, c.elem(0), Optional.empty());
      }
      return;
    }
    int r = in.get().size();
    int axis = Dims.axis(c.attrInt("axis", 0), r);
    Optional<long[]> sizes = c.opset() >= 13 || c.opset() == 1 ? (c.hasInput(1) ? c.longs(1) : Optional.empty())
        : c.attrInts("split");
    boolean given = c.opset() >= 13 || c.opset() == 1 ? c.hasInput(1) : c.attr("split").isPresent();
    Dim whole = in.get().get(axis);
    for (int i = 0; i < n; i++) {
      List<Dim> out = new ArrayList<>(in.get());
      Dim part = Dim.unknown();
      if (sizes.isPresent() && sizes.get().length == n) {
        part = Dim.of(sizes.get()[i]);
      } else if (!given && whole instanceof Dim.Fixed f) {
        if (c.attr("num_outputs").isPresent()) {
          long chunk = -Math.floorDiv(-f.size(), n);
          part = Dim.of(i < n - 1 ? chunk : f.size() - chunk * (n - 1));
        } else if (f.size() % n == 0) {
          part = Dim.of(f.size() / n);
        }
      }
      out.set(axis, part);
      c.output(i, c.elem(0), out);
    }
  }

  private static void gather(NodeContext c) {
    Optional<List<Dim>> data = c.dims(0);
    Optional<List<Dim>> idx = c.dims(1);
    if (data.isEmpty() || idx.isEmpty()) {
      c.output(0, c.elem(0), Optional.empty());
      return;
    }
    int r = data.get().size();
    int axis = Dims.axis(c.attrInt("axis", 0), r);
    List<Dim> out = new ArrayList<>(data.get().subList(0, axis));
    out.addAll(idx.get());
    out.addAll(data.get().subList(axis + 1, r));
    c.output(0, c.elem(0), out);
    // Picking entries of known shape data (Shape -> Gather).
    Optional<IntData> values = c.ints(0);
    Optional<long[]> indices = c.longs(1);
    if (values.isPresent() && indices.isPresent() && r == 1 && idx.get().size() <= 1) {
      List<Dim> picked = new ArrayList<>();
      for (long i : indices.get()) {
        int n = values.get().size();
        long k = i < 0 ? i + n : i;
        if (k < 0 || k >= n) {
          return;
        }
        picked.add(values.get().values().get((int) k));
      }
      c.outputData(0, new IntData(picked, idx.get().isEmpty()));
    }
  }

  private static void gatherNd(NodeContext c) {
    Optional<List<Dim>> data = c.dims(0);
    Optional<List<Dim>> idx = c.dims(1);
    int b = (int) c.attrInt("batch_dims", 0);
    if (data.isEmpty() || idx.isEmpty() || idx.get().isEmpty()) {
      c.output(0, c.elem(0), Optional.empty());
      return;
    }
    Optional<Long> last = Dims.size(idx.get().get(idx.get().size() - 1));
    if (last.isEmpty()) {
      c.output(0, c.elem(0), Optional.empty());
      return;
    }
    List<Dim> out = new ArrayList<>(idx.get().subList(0, idx.get().size() - 1));
    out.addAll(data.get().subList((int) (b + last.get()), data.get().size()));
    c.output(0, c.elem(0), out);
  }

  private static void oneHot(NodeContext c) {
    Optional<List<Dim>> idx = c.dims(0);
    if (idx.isEmpty()) {
      c.output(0, c.elem(2), Optional.empty());
      return;
    }
    int r = idx.get().size() + 1;
    int axis = Dims.axis(c.attrInt("axis", -1), r);
    List<Dim> out = new ArrayList<>(idx.get());
    Optional<double[]> depth = c.doubles(1);
    out.add(axis, depth.filter(d -> d.length == 1).map(d -> Dim.of((long) d[0])).orElse(Dim.unknown()));
    c.output(0, c.elem(2), out);
  }

  private static void topK(NodeContext c) {
    Optional<List<Dim>> in = c.dims(0);
    if (in.isEmpty()) {
      c.output(0, c.elem(0), Optional.empty());
      c.output(1, ElementType.INT64, Optional.empty());
      return;
    }
    int axis = Dims.axis(c.attrInt("axis", -1), in.get().size());
    Optional<Long> k = c.opset() >= 10 ? c.longs(1).filter(v -> v.length == 1).map(v -> v[0])
        : c.attrInt("k");
    List<Dim> out = new ArrayList<>(in.get());
    out.set(axis, k.map(Dim::of).orElse(Dim.unknown()));
    c.output(0, c.elem(0), out);
    c.output(1, ElementType.INT64, out);
  }

  private static void unique(NodeContext c) {
    Optional<Long> axis = c.attrInt("axis");
    Optional<List<Dim>> in = c.dims(0);
    if (axis.isPresent() && in.isPresent()) {
      List<Dim> out = new ArrayList<>(in.get());
      out.set(Dims.axis(axis.get(), out.size()), Dim.unknown());
      c.output(0, c.elem(0), out);
    } else {
      c.output(0, c.elem(0), axis.isEmpty() ? Optional.of(new Shape(Dims.unknowns(1))) : Optional.empty());
    }
    for (int i = 1; i < 4; i++) {
      c.output(i, ElementType.INT64, Dims.unknowns(1));
    }
    if (axis.isEmpty() && in.isPresent()) {
      c.output(2, ElementType.INT64, List.of(Dims.product(in.get()).map(Dim::of).orElse(Dim.unknown())));
    }
  }

  private static void compress(NodeContext c) {
    Optional<Long> axis = c.attrInt("axis");
    Optional<List<Dim>> in = c.dims(0);
    if (axis.isEmpty()) {
      c.output(0, c.elem(0), Dims.unknowns(1));
    } else if (in.isPresent()) {
      List<Dim> out = new ArrayList<>(in.get());
      out.set(Dims.axis(axis.get(), out.size()), Dim.unknown());
      c.output(0, c.elem(0), out);
    } else {
      c.output(0, c.elem(0), Optional.empty());
    }
  }
}
