package dev.modelbridge.infer;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.Dim;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Recurrent layers (RNN, GRU, LSTM) and a few ops with their own output sizes (RoiAlign, windows, ...). */
final class RecurrentOps {
  private RecurrentOps() {}

  static void register(HandlerTable t) {
    t.register("", RecurrentOps::recurrent, "RNN", "GRU", "LSTM");
    t.register("", RecurrentOps::roiAlign, "RoiAlign");
    t.register("", RecurrentOps::window, "BlackmanWindow", "HammingWindow", "HannWindow");
    t.register("", RecurrentOps::maxUnpool, "MaxUnpool");
    t.register("", RecurrentOps::affineGrid, "AffineGrid");
    t.register("", RecurrentOps::stringSplit, "StringSplit");
    t.register("ai.onnx.ml", RecurrentOps::labelEncoder, "LabelEncoder");
  }

  private static void recurrent(NodeContext c) {
    Optional<List<Dim>> x = c.dims(0);
    boolean batchFirst = c.attrInt("layout", 0) == 1;
    Dim dirs = Dim.of(c.attrString("direction", "forward").equals("bidirectional") ? 2 : 1);
    Dim hidden = c.attrInt("hidden_size").map(Dim::of).orElse(Dim.unknown());
    Dim seq = Dim.unknown();
    Dim batch = Dim.unknown();
    if (x.isPresent() && x.get().size() == 3) {
      seq = x.get().get(batchFirst ? 1 : 0);
      batch = x.get().get(batchFirst ? 0 : 1);
    }
    c.output(0, c.elem(0), batchFirst ? List.of(batch, seq, dirs, hidden) : List.of(seq, dirs, batch, hidden));
    List<Dim> state = batchFirst ? List.of(batch, dirs, hidden) : List.of(dirs, batch, hidden);
    c.output(1, c.elem(0), state);
    c.output(2, c.elem(0), state);
  }

  private static void roiAlign(NodeContext c) {
    Dim rois = c.dims(1).filter(d -> d.size() == 2).map(d -> d.get(0)).orElse(Dim.unknown());
    Dim channels = c.dims(0).filter(d -> d.size() == 4).map(d -> d.get(1)).orElse(Dim.unknown());
    c.output(0, c.elem(0), List.of(rois, channels, Dim.of(c.attrInt("output_height", 1)),
        Dim.of(c.attrInt("output_width", 1))));
  }

  private static void window(NodeContext c) {
    ElementType e = ElementType.fromCode((int) c.attrInt("output_datatype", 1)).orElse(ElementType.FLOAT);
    c.output(0, e, List.of(c.longs(0).filter(v -> v.length == 1).map(v -> Dim.of(v[0])).orElse(Dim.unknown())));
  }

  private static void maxUnpool(NodeContext c) {
    Optional<List<Dim>> x = c.dims(0);
    if (x.isEmpty() || x.get().size() < 3) {
      c.output(0, c.elem(0), Optional.empty());
      return;
    }
    if (c.hasInput(2)) {
      // An explicit output_shape wins; unknown unless constant.
      Optional<long[]> given = c.longs(2);
      c.output(0, c.elem(0), Optional.of(given.map(Shape::of).orElse(new Shape(Dims.unknowns(x.get().size())))));
      return;
    }
    int n = x.get().size() - 2;
    long[] kernel = c.attrInts("kernel_shape").orElse(new long[n]);
    long[] strides = c.attrInts("strides").orElse(java.util.stream.LongStream.generate(() -> 1).limit(n).toArray());
    long[] pads = c.attrInts("pads").orElse(new long[2 * n]);
    List<Dim> out = new ArrayList<>(x.get().subList(0, 2));
    for (int i = 0; i < n; i++) {
      final int k = i;
      out.add(Dims.size(x.get().get(i + 2))
          .map(s -> Dim.of((s - 1) * strides[k] + kernel[k] - pads[k] - pads[k + n])).orElse(Dim.unknown()));
    }
    c.output(0, c.elem(0), out);
  }

  private static void affineGrid(NodeContext c) {
    Optional<long[]> size = c.longs(1);
    if (size.isEmpty() || size.get().length < 4) {
      c.output(0, c.elem(0), Optional.empty());
      return;
    }
    long[] s = size.get();
    List<Dim> out = new ArrayList<>();
    out.add(Dim.of(s[0]));
    for (int i = 2; i < s.length; i++) {
      out.add(Dim.of(s[i]));
    }
    out.add(Dim.of(s.length - 2));
    c.output(0, c.elem(0), out);
  }

  private static void stringSplit(NodeContext c) {
    Optional<List<Dim>> x = c.dims(0);
    c.output(0, ElementType.STRING, x.map(d -> {
      List<Dim> out = new ArrayList<>(d);
      out.add(Dim.unknown());
      return new Shape(out);
    }));
    c.output(1, ElementType.INT64, c.shape(0));
  }

  private static void labelEncoder(NodeContext c) {
    ElementType e = ElementType.UNDEFINED;
    for (Attribute a : c.node().attributes()) {
      switch (a.name()) {
        case "values_strings" -> e = ElementType.STRING;
        case "values_int64s" -> e = ElementType.INT64;
        case "values_floats" -> e = ElementType.FLOAT;
        case "values_tensor" -> e = a instanceof Attribute.TensorAttr ta ? ta.value().elementType() : e;
        default -> { }
      }
    }
    c.output(0, e, c.shape(0));
  }
}
