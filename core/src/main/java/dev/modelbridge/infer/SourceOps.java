package dev.modelbridge.infer;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.Dim;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Shape;
import dev.modelbridge.ir.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Ops that make new tensors or read shapes: Constant, ConstantOfShape, Shape, Size, Range, Random*. */
final class SourceOps {
  private SourceOps() {}

  static void register(HandlerTable t) {
    t.register("", SourceOps::constant, "Constant");
    t.register("", SourceOps::constantOfShape, "ConstantOfShape");
    t.register("", SourceOps::shape, "Shape");
    t.register("", SourceOps::size, "Size");
    t.register("", SourceOps::range, "Range");
    t.register("", SourceOps::random, "RandomUniform", "RandomNormal");
  }

  private static void constant(NodeContext c) {
    for (Attribute a : c.node().attributes()) {
      Optional<Type> t = switch (a.name()) {
        case "value" -> a instanceof Attribute.TensorAttr ta ? Optional.of(ta.value().type()) : Optional.empty();
        case "sparse_value" -> a instanceof Attribute.SparseTensorAttr sa
            ? Optional.of(Type.tensor(sa.value().values().elementType(),
                sa.value().dims().stream().mapToLong(Long::longValue).toArray())) : Optional.empty();
        case "value_float" -> Optional.of(Type.tensor(ElementType.FLOAT));
        case "value_int" -> Optional.of(Type.tensor(ElementType.INT64));
        case "value_string" -> Optional.of(Type.tensor(ElementType.STRING));
        case "value_floats" -> a instanceof Attribute.FloatsAttr fa
            ? Optional.of(Type.tensor(ElementType.FLOAT, fa.values().size())) : Optional.empty();
        case "value_ints" -> a instanceof Attribute.IntsAttr ia
            ? Optional.of(Type.tensor(ElementType.INT64, ia.values().size())) : Optional.empty();
        case "value_strings" -> a instanceof Attribute.StringsAttr sa
            ? Optional.of(Type.tensor(ElementType.STRING, sa.values().size())) : Optional.empty();
        default -> Optional.empty();
      };
      if (t.isPresent()) {
        c.output(0, t.get());
      }
      if (a instanceof Attribute.IntAttr ia && a.name().equals("value_int")) {
        c.outputData(0, new IntData(List.of(Dim.of(ia.value())), true));
      } else if (a instanceof Attribute.IntsAttr ia && a.name().equals("value_ints")) {
        c.outputData(0, IntData.of(ia.toArray()));
      }
    }
  }

  private static void constantOfShape(NodeContext c) {
    ElementType e = c.attr("value").filter(Attribute.TensorAttr.class::isInstance)
        .map(a -> ((Attribute.TensorAttr) a).value().elementType()).orElse(ElementType.FLOAT);
    Optional<IntData> shape = c.ints(0);
    if (shape.isPresent()) {
      c.output(0, e, shape.get().values());
      return;
    }
    Optional<Long> len = c.dims(0).filter(d -> d.size() == 1).flatMap(d -> Dims.size(d.get(0)));
    c.output(0, e, len.map(n -> new Shape(Dims.unknowns((int) (long) n))));
  }

  private static void shape(NodeContext c) {
    Optional<List<Dim>> in = c.dims(0);
    if (in.isEmpty()) {
      c.output(0, ElementType.INT64, Dims.unknowns(1));
      return;
    }
    int r = in.get().size();
    long start = c.attrInt("start", 0);
    long end = c.attrInt("end", r);
    int s = (int) Math.max(0, Math.min(r, start < 0 ? start + r : start));
    int e = (int) Math.max(0, Math.min(r, end < 0 ? end + r : end));
    List<Dim> picked = new ArrayList<>(in.get().subList(s, Math.max(s, e)));
    c.output(0, ElementType.INT64, List.of(Dim.of(picked.size())));
    c.outputData(0, new IntData(picked, false));
  }

  private static void size(NodeContext c) {
    c.output(0, ElementType.INT64, List.of());
    c.dims(0).flatMap(Dims::product).ifPresent(n -> c.outputData(0, new IntData(List.of(Dim.of(n)), true)));
  }

  private static void range(NodeContext c) {
    Optional<double[]> start = c.doubles(0);
    Optional<double[]> limit = c.doubles(1);
    Optional<double[]> delta = c.doubles(2);
    Dim n = Dim.unknown();
    if (start.isPresent() && limit.isPresent() && delta.isPresent() && start.get().length == 1
        && limit.get().length == 1 && delta.get().length == 1 && delta.get()[0] != 0) {
      n = Dim.of(Math.max(0, (long) Math.ceil((limit.get()[0] - start.get()[0]) / delta.get()[0])));
    }
    c.output(0, c.elem(0), Optional.of(new Shape(List.of(n))));
  }

  private static void random(NodeContext c) {
    ElementType e = c.attrInt("dtype").flatMap(code -> ElementType.fromCode((int) (long) code))
        .orElse(ElementType.FLOAT);
    c.output(0, e, c.attrInts("shape").map(Shape::of));
  }
}
