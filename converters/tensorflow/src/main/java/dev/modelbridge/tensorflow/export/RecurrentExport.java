package dev.modelbridge.tensorflow.export;

import dev.modelbridge.tensorflow.export.RecurrentCells.Activation;
import dev.modelbridge.tensorflow.export.RecurrentCells.Kind;
import dev.modelbridge.tensorflow.export.RecurrentCells.State;
import dev.modelbridge.tensorflow.export.RecurrentCells.Weights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * RNN, GRU and LSTM with the time loop unrolled: the sequence length must be static. Supports
 * both layouts, the three directions, the activation lists, clip, GRU's linear_before_reset,
 * LSTM's peepholes and input_forget, initial states and sequence_lens (steps past a batch entry's
 * length keep its state and give zeros in Y, as ONNX specifies).
 */
final class RecurrentExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("RNN", 1, c -> export(c, Kind.RNN));
    t.add("GRU", 1, c -> export(c, Kind.GRU));
    t.add("LSTM", 1, c -> export(c, Kind.LSTM));
  }

  private static void export(ExportContext c, Kind kind) throws OpExportException {
    long hidden = c.attrInt("hidden_size", -1);
    if (hidden <= 0) {
      throw new OpExportException("hidden_size is required");
    }
    String direction = c.attrString("direction", "forward");
    int dirs = switch (direction) {
      case "forward", "reverse" -> 1;
      case "bidirectional" -> 2;
      default -> throw new OpExportException("unknown direction '" + direction + "'");
    };
    boolean batchMajor = c.attrInt("layout", 0) != 0;
    long[] xDims = c.dims(0).orElseThrow(() -> new OpExportException("the shape of X is not known"));
    long steps = xDims.length == 3 ? xDims[batchMajor ? 1 : 0] : -1;
    if (steps < 0) {
      throw new OpExportException("the sequence length of X must be static: the time loop is unrolled");
    }
    if (steps == 0) {
      throw new OpExportException("X has no time steps");
    }
    TfRef x = c.input(0);
    if (batchMajor) {
      x = c.transpose(x, 1, 0, 2);
    }
    TfRef seqLens = c.hasInput(4) && !fullLength(c, steps) ? c.input(4) : null;
    float clip = c.attrFloat("clip", 0f);
    boolean lbr = c.attrInt("linear_before_reset", 0) != 0;
    boolean coupled = c.attrInt("input_forget", 0) != 0;

    List<TfRef> ys = new ArrayList<>();
    List<TfRef> hs = new ArrayList<>();
    List<TfRef> cs = new ArrayList<>();
    for (int d = 0; d < dirs; d++) {
      boolean reverse = direction.equals("reverse") || d == 1;
      Weights w = weights(c, kind, d);
      List<Activation> acts = RecurrentCells.activations(c, kind, d);
      TfRef xs = x;
      if (reverse && seqLens != null) {
        xs = reverseSequence(c, x, seqLens);
      }
      TfRef h0 = initial(c, 5, d, batchMajor);
      TfRef c0 = kind == Kind.LSTM ? initial(c, 6, d, batchMajor) : null;
      State state = null;
      TfRef[] y = new TfRef[(int) steps];
      for (long k = 0; k < steps; k++) {
        // Without sequence_lens the reverse direction just walks the steps backwards; with them the
        // input was reversed per batch entry, so every walk is forward.
        long t = reverse && seqLens == null ? steps - 1 - k : k;
        TfRef xt = SeqOps.index(c, xs, t);
        if (state == null) {
          state = firstState(c, kind, w, xt, h0, c0);
        }
        State next = RecurrentCells.step(c, kind, w, acts, clip, lbr, coupled, xt, state);
        if (seqLens != null) {
          TfRef live = MatrixExport.expandDims(c,
              SeqOps.compare(c, "Less", c.g().scalar(c.hint() + "/t", seqLens.dtype(), t), seqLens), -1);
          y[(int) t] = SeqOps.select(c, live, next.h(), c.op("ZerosLike", next.h()));
          next = new State(SeqOps.select(c, live, next.h(), state.h()),
              next.cell() == null ? null : SeqOps.select(c, live, next.cell(), state.cell()));
        } else {
          y[(int) t] = next.h();
        }
        state = next;
      }
      TfRef yd = SeqOps.pack(c, Arrays.asList(y), 0);
      if (reverse && seqLens != null) {
        yd = reverseSequence(c, yd, seqLens);
      }
      ys.add(yd);
      hs.add(state.h());
      cs.add(state.cell());
    }
    TfRef y = SeqOps.pack(c, ys, 1); // [S, D, B, H]
    c.bind(0, batchMajor ? c.transpose(y, 2, 0, 1, 3) : y);
    c.bind(1, states(c, hs, batchMajor));
    if (kind == Kind.LSTM) {
      c.bind(2, states(c, cs, batchMajor));
    }
  }

  /** Whether sequence_lens is a constant equal to the sequence length everywhere (no masking). */
  private static boolean fullLength(ExportContext c, long steps) {
    return c.constantInts(4).map(v -> Arrays.stream(v).allMatch(n -> n == steps)).orElse(false);
  }

  private static TfRef states(ExportContext c, List<TfRef> perDirection, boolean batchMajor) {
    TfRef s = SeqOps.pack(c, perDirection, 0); // [D, B, H]
    return batchMajor ? c.transpose(s, 1, 0, 2) : s;
  }

  private static TfRef reverseSequence(ExportContext c, TfRef x, TfRef lens) {
    return c.g().op("ReverseSequence", c.hint() + "/ReverseSequence").input(x).input(lens)
        .attr("seq_dim", 0L).attr("batch_dim", 1L).attr("T", x.dtype()).attr("Tlen", lens.dtype()).output(x.dtype());
  }

  /** Direction {@code d} of initial_h (input 5) or initial_c (input 6), or {@code null}. */
  private static TfRef initial(ExportContext c, int input, int d, boolean batchMajor) throws OpExportException {
    if (!c.hasInput(input)) {
      return null;
    }
    TfRef s = c.input(input);
    if (batchMajor) {
      s = c.transpose(s, 1, 0, 2);
    }
    return SeqOps.index(c, s, d);
  }

  /** The given initial states; zeros shaped [B, H] (B may be dynamic) for those not given. */
  private static State firstState(ExportContext c, Kind kind, Weights w, TfRef xt, TfRef h0, TfRef c0) {
    boolean needZero = h0 == null || (kind == Kind.LSTM && c0 == null);
    TfRef zero = needZero ? c.op("ZerosLike", SeqOps.matmul(c, xt, w.w().get(0), true)) : null;
    return new State(h0 == null ? zero : h0, kind == Kind.LSTM ? (c0 == null ? zero : c0) : null);
  }

  /** Direction {@code d} of W, R, B and P, split per gate. */
  private static Weights weights(ExportContext c, Kind kind, int d) throws OpExportException {
    int g = kind.gates;
    List<TfRef> w = SeqOps.split(c, SeqOps.index(c, c.input(1), d), 0, g);
    List<TfRef> r = SeqOps.split(c, SeqOps.index(c, c.input(2), d), 0, g);
    List<TfRef> wb = null;
    List<TfRef> rb = null;
    if (c.hasInput(3)) {
      List<TfRef> b = SeqOps.split(c, SeqOps.index(c, c.input(3), d), 0, 2 * g);
      wb = b.subList(0, g);
      rb = b.subList(g, 2 * g);
    }
    List<TfRef> p = kind == Kind.LSTM && c.hasInput(7) ? SeqOps.split(c, SeqOps.index(c, c.input(7), d), 0, 3) : null;
    return new Weights(w, r, wb, rb, p);
  }
}
