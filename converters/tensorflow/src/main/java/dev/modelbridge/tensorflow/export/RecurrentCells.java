package dev.modelbridge.tensorflow.export;

import dev.modelbridge.ir.Attribute;
import java.util.ArrayList;
import java.util.List;

/**
 * The one-step equations of ONNX's RNN, GRU and LSTM cells and their activation functions, as
 * TensorFlow arithmetic. Gates are kept apart (one matrix per gate) so that GRU's reset gate can
 * act before or after the recurrent product.
 */
final class RecurrentCells {
  private RecurrentCells() {
  }

  /** The kinds of recurrent op: number of gates, default activations. */
  enum Kind {
    RNN(1, List.of("Tanh")),
    GRU(3, List.of("Sigmoid", "Tanh")),
    LSTM(4, List.of("Sigmoid", "Tanh", "Tanh"));

    final int gates;
    final List<String> activations;

    Kind(int gates, List<String> activations) {
      this.gates = gates;
      this.activations = activations;
    }
  }

  /** An activation with its optional alpha and beta ({@code NaN} when not given). */
  record Activation(String name, float alpha, float beta) {
  }

  /**
   * One direction's weights, per gate in ONNX order: {@code w} [H, I], {@code r} [H, H], biases
   * [H] ({@code null} when absent), peepholes (LSTM, i/o/f, or {@code null}).
   */
  record Weights(List<TfRef> w, List<TfRef> r, List<TfRef> wb, List<TfRef> rb, List<TfRef> p) {
  }

  /** The recurrent state: hidden and, for LSTM, cell. */
  record State(TfRef h, TfRef cell) {
  }

  /** The activations of one direction (ONNX lists those of the reverse direction second). */
  static List<Activation> activations(ExportContext c, Kind kind, int direction) throws OpExportException {
    List<String> names = strings(c, "activations");
    List<Float> alphas = floats(c, "activation_alpha");
    List<Float> betas = floats(c, "activation_beta");
    int n = kind.activations.size();
    if (names.isEmpty()) {
      return kind.activations.stream().map(a -> new Activation(a, Float.NaN, Float.NaN)).toList();
    }
    if (names.size() < n * (direction + 1)) {
      throw new OpExportException("expected " + n + " activations per direction, got " + names.size());
    }
    List<Activation> out = new ArrayList<>();
    int ai = 0;
    int bi = 0;
    for (int k = 0; k < names.size() && k < n * (direction + 1); k++) {
      String name = names.get(k);
      boolean usesAlpha = List.of("Affine", "LeakyRelu", "ThresholdedRelu", "ScaledTanh", "HardSigmoid", "Elu")
          .contains(name);
      boolean usesBeta = List.of("Affine", "ScaledTanh", "HardSigmoid").contains(name);
      float alpha = usesAlpha && ai < alphas.size() ? alphas.get(ai++) : Float.NaN;
      float beta = usesBeta && bi < betas.size() ? betas.get(bi++) : Float.NaN;
      if (k >= n * direction) {
        out.add(new Activation(name, alpha, beta));
      }
    }
    return out;
  }

  static TfRef activate(ExportContext c, Activation a, TfRef x) throws OpExportException {
    float alpha = a.alpha();
    float beta = a.beta();
    switch (a.name()) {
      case "Tanh", "Sigmoid", "Relu", "Elu", "Softsign", "Softplus" -> {
        if (a.name().equals("Elu") && !Float.isNaN(alpha) && alpha != 1f) {
          TfRef neg = c.op("Mul", c.op("Expm1", c.op("Minimum", x, c.scalarLike(x, 0))), c.scalarLike(x, alpha));
          return c.op("AddV2", c.op("Relu", x), neg);
        }
        return c.op(a.name(), x);
      }
      case "LeakyRelu" -> {
        return c.g().op("LeakyRelu", c.hint() + "/LeakyRelu").input(x).attr("T", x.dtype())
            .attr("alpha", Float.isNaN(alpha) ? 0.01f : alpha).output(x.dtype());
      }
      case "ThresholdedRelu" -> {
        TfRef keep = SeqOps.compare(c, "Greater", x, c.scalarLike(x, Float.isNaN(alpha) ? 1f : alpha));
        return SeqOps.select(c, keep, x, c.op("ZerosLike", x));
      }
      case "Affine" -> {
        return c.op("AddV2", c.op("Mul", x, c.scalarLike(x, alpha)), c.scalarLike(x, beta));
      }
      case "ScaledTanh" -> {
        return c.op("Mul", c.op("Tanh", c.op("Mul", x, c.scalarLike(x, beta))), c.scalarLike(x, alpha));
      }
      case "HardSigmoid" -> {
        TfRef y = c.op("AddV2", c.op("Mul", x, c.scalarLike(x, Float.isNaN(alpha) ? 0.2f : alpha)),
            c.scalarLike(x, Float.isNaN(beta) ? 0.5f : beta));
        return c.op("Minimum", c.op("Maximum", y, c.scalarLike(x, 0)), c.scalarLike(x, 1));
      }
      default -> throw new OpExportException("activation " + a.name() + " is not supported");
    }
  }

  /** One step of {@code kind} from {@code prev} on input {@code x} [B, I]. */
  static State step(ExportContext c, Kind kind, Weights w, List<Activation> acts, float clip, boolean lbr,
      boolean coupled, TfRef x, State prev) throws OpExportException {
    TfRef h = prev.h();
    switch (kind) {
      case RNN -> {
        return new State(act(c, acts.get(0), clip, gate(c, w, 0, x, h)), null);
      }
      case GRU -> {
        TfRef z = act(c, acts.get(0), clip, gate(c, w, 0, x, h));
        TfRef r = act(c, acts.get(0), clip, gate(c, w, 1, x, h));
        TfRef pre = bias(c, SeqOps.matmul(c, x, w.w().get(2), true), w.wb(), 2);
        if (lbr) {
          pre = c.op("AddV2", pre, c.op("Mul", r, bias(c, SeqOps.matmul(c, h, w.r().get(2), true), w.rb(), 2)));
        } else {
          pre = c.op("AddV2", pre, bias(c, SeqOps.matmul(c, c.op("Mul", r, h), w.r().get(2), true), w.rb(), 2));
        }
        TfRef hh = act(c, acts.get(1), clip, pre);
        // (1 - z) hh + z h, written as hh + z (h - hh)
        return new State(c.op("AddV2", hh, c.op("Mul", z, c.op("Sub", h, hh))), null);
      }
      default -> {
        TfRef cPrev = prev.cell();
        TfRef iPre = gate(c, w, 0, x, h);
        TfRef fPre = gate(c, w, 2, x, h);
        if (w.p() != null) {
          iPre = c.op("AddV2", iPre, c.op("Mul", w.p().get(0), cPrev));
          fPre = c.op("AddV2", fPre, c.op("Mul", w.p().get(2), cPrev));
        }
        TfRef i = act(c, acts.get(0), clip, iPre);
        TfRef f = coupled ? c.op("Sub", c.scalarLike(i, 1), i) : act(c, acts.get(0), clip, fPre);
        TfRef g = act(c, acts.get(1), clip, gate(c, w, 3, x, h));
        TfRef cell = c.op("AddV2", c.op("Mul", f, cPrev), c.op("Mul", i, g));
        TfRef oPre = gate(c, w, 1, x, h);
        if (w.p() != null) {
          oPre = c.op("AddV2", oPre, c.op("Mul", w.p().get(1), cell));
        }
        TfRef o = act(c, acts.get(0), clip, oPre);
        return new State(c.op("Mul", o, activate(c, acts.get(2), cell)), cell);
      }
    }
  }

  /** {@code x W_g^T + h R_g^T + Wb_g + Rb_g}. */
  private static TfRef gate(ExportContext c, Weights w, int g, TfRef x, TfRef h) {
    TfRef y = c.op("AddV2", SeqOps.matmul(c, x, w.w().get(g), true), SeqOps.matmul(c, h, w.r().get(g), true));
    return bias(c, bias(c, y, w.wb(), g), w.rb(), g);
  }

  private static TfRef bias(ExportContext c, TfRef y, List<TfRef> b, int g) {
    return b == null ? y : c.op("AddV2", y, b.get(g));
  }

  /** ONNX clips the inputs of the activations, not their outputs. */
  private static TfRef act(ExportContext c, Activation a, float clip, TfRef x) throws OpExportException {
    if (clip > 0) {
      x = c.op("Minimum", c.op("Maximum", x, c.scalarLike(x, -clip)), c.scalarLike(x, clip));
    }
    return activate(c, a, x);
  }

  private static List<String> strings(ExportContext c, String name) {
    return c.node().attribute(name)
        .map(a -> a instanceof Attribute.StringsAttr s ? s.values().stream().map(v -> v.toUtf8()).toList() : List.<String>of())
        .orElse(List.of());
  }

  private static List<Float> floats(ExportContext c, String name) {
    return c.node().attribute(name)
        .map(a -> a instanceof Attribute.FloatsAttr f ? f.values() : List.<Float>of()).orElse(List.of());
  }
}
