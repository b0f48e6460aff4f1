package dev.modelbridge.infer;

import dev.modelbridge.ir.Dim;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Losses, quantisation, attention and other ops with one-off rules. */
final class MiscOps {
  private MiscOps() {}

  static void register(HandlerTable t) {
    t.register("", MiscOps::loss, "NegativeLogLikelihoodLoss", "SoftmaxCrossEntropyLoss");
    t.register("", MiscOps::quantize, "QuantizeLinear");
    t.register("", MiscOps::dequantize, "DequantizeLinear");
    t.register("", MiscOps::dynamicQuantize, "DynamicQuantizeLinear");
    t.register("", c -> c.output(0, ElementType.INT64, List.of(Dim.unknown(), Dim.of(3))), "NonMaxSuppression");
    t.register("", MiscOps::gridSample, "GridSample");
    t.register("", MiscOps::attention, "Attention");
    // Newer ops whose outputs are known here by element type only.
    t.register("ai.onnx.preview", c -> c.output(0, c.elem(0), Optional.empty()), "FlexAttention");
    t.register("", c -> c.output(0, c.elem(0), Optional.empty()), "LinearAttention",
        "CausalConvWithState", "DFT", "STFT");
    t.register("", c -> c.output(0, ElementType.UINT8, Dims.unknowns(3)), "ImageDecoder");
    t.register("", c -> c.output(0, ElementType.STRING, c.shape(0)), "StringConcat");
    t.register("", MiscOps::stringNormalizer, "StringNormalizer");
    t.register("", MiscOps::tfIdf, "TfIdfVectorizer");
    t.register("ai.onnx.preview.training", MiscOps::optimizer, "Adagrad", "Adam", "Momentum");
    t.register("", c -> c.output(0, ElementType.BOOL, c.shape(0)), "RegexFullMatch");
    t.register("", c -> c.output(0, c.attrInt("to").flatMap(x -> ElementType.fromCode((int) (long) x)),
        Optional.<Shape>empty()), "BitCast");
  }

  private static void stringNormalizer(NodeContext c) {
    // Stop words may remove any number of strings: [C] or [1, C] with C unknown.
    c.output(0, ElementType.STRING, c.dims(0).map(d -> {
      List<Dim> out = new ArrayList<>(d);
      out.set(d.size() - 1, Dim.unknown());
      return new Shape(out);
    }));
  }

  private static void tfIdf(NodeContext c) {
    Optional<long[]> idx = c.attrInts("ngram_indexes");
    Dim n = idx.map(v -> Dim.of(java.util.Arrays.stream(v).max().orElse(-1) + 1)).orElse(Dim.unknown());
    Optional<List<Dim>> in = c.dims(0);
    c.output(0, ElementType.FLOAT, in.map(d -> d.size() == 2 ? new Shape(List.of(d.get(0), n)) : new Shape(List.of(n))));
  }

  /**
   * Training optimizers (Adagrad, Adam, Momentum): inputs R, T, then groups of n tensors (X, G, and
   * the states); outputs the new X, then the new states, each shaped like its old value.
   */
  private static void optimizer(NodeContext c) {
    int groups = c.node().opType().equals("Adam") ? 3 : 2;
    int n = c.outputCount() / groups;
    for (int g = 0; g < groups && n > 0; g++) {
      for (int j = 0; j < n; j++) {
        int from = 2 + (g == 0 ? 0 : (g + 1) * n) + j;
        c.output(g * n + j, c.elem(from), c.shape(from));
      }
    }
  }

  private static void loss(NodeContext c) {
    String reduction = c.attrString("reduction", "mean");
    Optional<Shape> shape = reduction.equals("none") ? c.shape(1) : Optional.of(new Shape(List.of()));
    c.output(0, c.elem(0), shape);
    c.output(1, c.elem(0), c.shape(0));
  }

  private static void quantize(NodeContext c) {
    Optional<ElementType> e = c.attrInt("output_dtype").filter(x -> x != 0)
        .flatMap(x -> ElementType.fromCode((int) (long) x));
    c.output(0, e.isPresent() ? e : c.hasInput(2) ? c.elem(2) : Optional.of(ElementType.UINT8), c.shape(0));
  }

  private static void dequantize(NodeContext c) {
    Optional<ElementType> e = c.attrInt("output_dtype").filter(x -> x != 0)
        .flatMap(x -> ElementType.fromCode((int) (long) x));
    if (e.isEmpty()) {
      e = c.opset() >= 19 ? c.elem(1) : Optional.of(ElementType.FLOAT);
    }
    c.output(0, e, c.shape(0));
  }

  private static void dynamicQuantize(NodeContext c) {
    c.output(0, ElementType.UINT8, c.shape(0));
    c.output(1, ElementType.FLOAT, List.of());
    c.output(2, ElementType.UINT8, List.of());
  }

  private static void gridSample(NodeContext c) {
    Optional<List<Dim>> x = c.dims(0);
    Optional<List<Dim>> grid = c.dims(1);
    if (x.isEmpty() || grid.isEmpty() || x.get().size() < 2 || grid.get().size() != x.get().size()) {
      c.output(0, c.elem(0), x.map(d -> new Shape(Dims.unknowns(d.size()))));
      return;
    }
    List<Dim> out = new ArrayList<>(x.get().subList(0, 2));
    out.addAll(grid.get().subList(1, grid.get().size() - 1));
    c.output(0, c.elem(0), out);
  }

  private static void attention(NodeContext c) {
    Optional<List<Dim>> q = c.dims(0);
    Optional<List<Dim>> v = c.dims(2);
    for (int i = 1; i < c.outputCount(); i++) {
      c.output(i, c.elem(0), Optional.empty());
    }
    if (q.isEmpty() || v.isEmpty() || q.get().size() != v.get().size()) {
      c.output(0, c.elem(0), Optional.empty());
      return;
    }
    if (q.get().size() == 4) {
      c.output(0, c.elem(0), List.of(q.get().get(0), q.get().get(1), q.get().get(2), v.get().get(3)));
    } else if (q.get().size() == 3) {
      Optional<Long> qHeads = c.attrInt("q_num_heads");
      Optional<Long> kvHeads = c.attrInt("kv_num_heads");
      Dim hidden = Dim.unknown();
      if (qHeads.isPresent() && kvHeads.isPresent() && v.get().get(2) instanceof Dim.Fixed f && kvHeads.get() > 0) {
        hidden = Dim.of(f.size() / kvHeads.get() * qHeads.get());
      }
      c.output(0, c.elem(0), List.of(q.get().get(0), q.get().get(1), hidden));
    } else {
      c.output(0, c.elem(0), Optional.empty());
    }
  }
}
