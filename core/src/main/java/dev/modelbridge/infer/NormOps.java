package dev.modelbridge.infer;

import dev.modelbridge.ir.Dim;
import dev.modelbridge.ir.ElementType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Normalisations with extra outputs: BatchNormalization (training statistics), LayerNormalization. */
final class NormOps {
  private NormOps() {}

  static void register(HandlerTable t) {
    t.register("", NormOps::batchNorm, "BatchNormalization");
    t.register("", NormOps::layerNorm, "LayerNormalization");
  }

  private static void batchNorm(NodeContext c) {
    c.output(0, c.elem(0), c.shape(0));
    // Running and saved statistics have one value per channel, like the scale.
    Optional<List<Dim>> x = c.dims(0);
    Dim channels = x.filter(d -> d.size() > 1).map(d -> d.get(1)).orElse(Dim.unknown());
    for (int i = 1; i < c.outputCount(); i++) {
      Optional<ElementType> e = c.elem(i >= 3 ? 0 : 3).or(() -> c.elem(0));
      c.output(i, e, List.of(channels));
    }
  }

  private static void layerNorm(NodeContext c) {
    c.output(0, c.elem(0), c.shape(0));
    ElementType stash = ElementType.fromCode((int) c.attrInt("stash_type", 1)).orElse(ElementType.FLOAT);
    Optional<List<Dim>> x = c.dims(0);
    if (x.isEmpty()) {
      c.output(1, stash, Optional.empty());
      c.output(2, stash, Optional.empty());
      return;
    }
    int r = x.get().size();
    int axis = Dims.axis(c.attrInt("axis", -1), r);
    List<Dim> stats = new ArrayList<>(x.get().subList(0, axis));
    for (int i = axis; i < r; i++) {
      stats.add(Dim.of(1));
    }
    c.output(1, stash, stats);
    c.output(2, stash, stats);
  }
}
