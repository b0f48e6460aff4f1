package dev.modelbridge.tensorflow.export;

import dev.modelbridge.ir.ElementType;
import java.util.List;
import java.util.Optional;
import org.tensorflow.proto.DataType;

/**
 * Attention (opset 23 and 24) as scaled dot-product attention in plain TensorFlow ops: 3-D inputs
 * split into heads, the KV cache concatenated, grouped-query heads repeated, softcap, boolean or
 * additive masks (padded with -inf when shorter than the keys), offset-aware causal masking,
 * {@code nonpad_kv_seqlen} padding, and fully-masked rows giving zeros rather than NaN.
 */
final class AttentionExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("Attention", 23, AttentionExport::attention);
  }

  private static void attention(ExportContext c) throws OpExportException {
    int rank = c.requireRank(0);
    if (rank != 3 && rank != 4) {
      throw new OpExportException("Q must be 3-D or 4-D, not " + rank + "-D");
    }
    boolean split = rank == 3;
    long qHeads;
    long kvHeads;
    if (split) {
      qHeads = c.attrInt("q_num_heads", 0);
      kvHeads = c.attrInt("kv_num_heads", 0);
      if (qHeads <= 0 || kvHeads <= 0) {
        throw new OpExportException("3-D inputs need the q_num_heads and kv_num_heads attributes");
      }
    } else {
      qHeads = c.dims(0).map(d -> d[1]).orElse(-1L);
      kvHeads = c.dims(1).map(d -> d[1]).orElse(-1L);
    }
    TfRef q = c.input(0);
    TfRef k = c.input(1);
    TfRef v = c.input(2);
    DataType dt = q.dtype();
    if (split) {
      q = heads(c, q, qHeads);
      k = heads(c, k, kvHeads);
      v = heads(c, v, kvHeads);
    }
    boolean past = c.hasInput(4) && c.hasInput(5);
    if (past) {
      k = MlGraphOps.concat(c, 2, c.input(4), k);
      v = MlGraphOps.concat(c, 2, c.input(5), v);
    }
    c.bind(1, k);
    c.bind(2, v);
    if (qHeads != kvHeads) {
      if (qHeads <= 0 || kvHeads <= 0 || qHeads % kvHeads != 0) {
        throw new OpExportException("grouped-query attention needs static head counts, q heads a multiple of kv heads");
      }
      k = repeatHeads(c, k, qHeads / kvHeads);
      v = repeatHeads(c, v, qHeads / kvHeads);
    }

    // Q and K are each scaled by sqrt(scale) before the product, as the operator specifies.
    TfRef sqrtScale = sqrtScale(c, q);
    TfRef qk = MlGraphOps.batchMatMul(c, c.op("Mul", q, sqrtScale), c.op("Mul", k, sqrtScale), false, true);
    TfRef raw = qk;
    float softcap = c.attrFloat("softcap", 0f);
    if (softcap > 0) {
      TfRef cap = constant(c, dt, softcap);
      qk = c.op("Mul", c.op("Tanh", c.op("RealDiv", qk, cap)), cap);
    }
    Optional<TfRef> bias = bias(c, q, k, dt);
    TfRef scores = bias.isPresent() ? c.op("AddV2", qk, bias.get()) : qk;

    TfRef logits = scores;
    if (c.node().attribute("softmax_precision").isPresent()) {
      DataType sp = ExportContext.dtype(ElementType.fromCode((int) c.attrInt("softmax_precision", 1))
          .orElseThrow(() -> new OpExportException("unknown softmax_precision")));
      logits = c.cast(scores, sp);
    }
    TfRef probs = c.op("Softmax", logits);
    if (bias.isPresent()) {
      // A row whose keys are all masked is a zero row, not the NaN Softmax gives for it.
      TfRef rowMax = c.reduce("Max", logits, new long[] {-1}, true);
      TfRef empty = MlGraphOps.compare(c, "Equal", rowMax, constant(c, logits.dtype(), Double.NEGATIVE_INFINITY));
      probs = MlGraphOps.select(c, empty, c.op("ZerosLike", probs), probs);
    }
    probs = c.cast(probs, dt);
    if (c.hasOutput(3)) {
      long mode = c.attrInt("qk_matmul_output_mode", 0);
      TfRef out = switch ((int) mode) {
        case 0 -> raw;
        case 1 -> qk;
        case 2 -> scores;
        case 3 -> probs;
        default -> throw new OpExportException("qk_matmul_output_mode " + mode + " is not defined");
      };
      c.bind(3, out);
    }
    TfRef y = MlGraphOps.batchMatMul(c, probs, v, false, false);
    if (split) {
      y = c.transpose(y, 0, 2, 1, 3);
      y = c.reshape(y, MlGraphOps.shape(c, List.of(MlGraphOps.dim(c, y, 0), MlGraphOps.dim(c, y, 1),
          MlGraphOps.i64(c, -1))));
    }
    c.bind(0, y);
  }

  /** {@code [B, S, H*D]} to {@code [B, H, S, D]}. */
  private static TfRef heads(ExportContext c, TfRef x, long heads) {
    TfRef shape = MlGraphOps.shape(c, List.of(MlGraphOps.dim(c, x, 0), MlGraphOps.dim(c, x, 1),
        MlGraphOps.i64(c, heads), MlGraphOps.i64(c, -1)));
    return c.transpose(c.reshape(x, shape), 0, 2, 1, 3);
  }

  /** Each KV head repeated {@code r} times in place ({@code h0 h0 h1 h1 ...}), as grouped-query attention pairs them. */
  private static TfRef repeatHeads(ExportContext c, TfRef x, long r) {
    TfRef tiled = MlGraphOps.tile(c, MatrixExport.expandDims(c, x, 2), 1, 1, r, 1, 1);
    TfRef shape = MlGraphOps.shape(c, List.of(MlGraphOps.dim(c, x, 0), MlGraphOps.i64(c, -1),
        MlGraphOps.dim(c, x, 2), MlGraphOps.dim(c, x, 3)));
    return c.reshape(tiled, shape);
  }

  /** {@code sqrt(scale)}, the default scale being {@code 1/sqrt(head_size)}. */
  private static TfRef sqrtScale(ExportContext c, TfRef q) {
    if (c.node().attribute("scale").isPresent()) {
      return constant(c, q.dtype(), Math.sqrt(c.attrFloat("scale", 1f)));
    }
    TfRef headSize = c.cast(MlGraphOps.dim(c, q, -1), DataType.DT_FLOAT);
    // sqrt(1/sqrt(d)) = d^-1/4
    return c.cast(c.op("Pow", headSize, c.scalarLike(headSize, -0.25)), q.dtype());
  }

  /** The additive bias of the mask, causal frontier and key padding; empty when there is none. */
  private static Optional<TfRef> bias(ExportContext c, TfRef q, TfRef k, DataType dt) throws OpExportException {
    TfRef zero = constant(c, dt, 0);
    TfRef ninf = constant(c, dt, Double.NEGATIVE_INFINITY);
    TfRef total = MlGraphOps.dim(c, k, 2);
    TfRef bias = null;
    if (c.hasInput(3)) {
      TfRef m = padMask(c, c.input(3), total);
      bias = m.dtype() == DataType.DT_BOOL ? MlGraphOps.select(c, m, zero, ninf) : c.cast(m, dt);
    }
    boolean nonpad = c.hasInput(6);
    TfRef cols = MlGraphOps.range(c, total);
    if (c.attrInt("is_causal", 0) != 0) {
      TfRef qLen = MlGraphOps.dim(c, q, 2);
      TfRef rows = c.reshape(MlGraphOps.range(c, qLen), c.g().int64s(c.hint() + "/col", -1, 1));
      TfRef allowed;
      if (c.hasInput(4)) {
        TfRef offset = MlGraphOps.dim(c, c.input(4), 2);
        allowed = MlGraphOps.compare(c, "LessEqual", cols, c.op("AddV2", rows, offset));
      } else if (nonpad) {
        TfRef offset = c.op("Sub", c.cast(c.input(6), DataType.DT_INT64), qLen);
        offset = c.reshape(offset, c.g().int64s(c.hint() + "/b111", -1, 1, 1, 1));
        allowed = MlGraphOps.compare(c, "LessEqual", cols, c.op("AddV2", rows, offset));
      } else {
        allowed = MlGraphOps.compare(c, "LessEqual", cols, rows);
      }
      TfRef causal = MlGraphOps.select(c, allowed, zero, ninf);
      bias = bias == null ? causal : c.op("AddV2", bias, causal);
    }
    if (nonpad) {
      TfRef lens = c.reshape(c.cast(c.input(6), DataType.DT_INT64), c.g().int64s(c.hint() + "/b111", -1, 1, 1, 1));
      TfRef pad = MlGraphOps.select(c, MlGraphOps.compare(c, "Less", cols, lens), zero, ninf);
      bias = bias == null ? pad : c.op("AddV2", bias, pad);
    }
    return Optional.ofNullable(bias);
  }

  /** A mask whose last dimension is shorter than the keys, padded with false or -inf up to them. */
  private static TfRef padMask(ExportContext c, TfRef m, TfRef total) throws OpExportException {
    int rank = c.requireRank(3);
    Optional<Long> last = c.dims(3).map(d -> d[rank - 1]).filter(d -> d >= 0);
    Optional<Long> keys = c.dims(1).map(d -> d[d.length - 2]).filter(d -> d >= 0);
    if (c.rank(1).orElse(0) == 3) {
      keys = c.dims(1).map(d -> d[1]).filter(d -> d >= 0);
    }
    if (c.hasInput(4)) {
      Optional<Long> p = c.dims(4).map(d -> d[2]).filter(d -> d >= 0);
      keys = keys.isPresent() && p.isPresent() ? Optional.of(keys.get() + p.get()) : Optional.empty();
    }
    if (last.isPresent() && keys.isPresent() && last.get().equals(keys.get())) {
      return m;
    }
    TfRef missing = c.op("Sub", total, MlGraphOps.dim(c, m, -1));
    TfRef zeroRows = c.g().constant(c.hint() + "/pad0", DataType.DT_INT64, new long[] {rank - 1, 2},
        java.nio.ByteBuffer.allocate((rank - 1) * 16).order(java.nio.ByteOrder.LITTLE_ENDIAN));
    TfRef lastRow = MatrixExport.expandDims(c, MlGraphOps.shape(c, List.of(MlGraphOps.i64(c, 0), missing)), 0);
    TfRef paddings = MlGraphOps.concat(c, 0, zeroRows, lastRow);
    TfRef fillValue = m.dtype() == DataType.DT_BOOL ? c.g().scalar(c.hint() + "/false", DataType.DT_BOOL, 0)
        : constant(c, m.dtype(), Double.NEGATIVE_INFINITY);
    return c.g().op("PadV2", c.hint() + "/PadV2").input(m).input(paddings).input(fillValue).attr("T", m.dtype())
        .attr("Tpaddings", DataType.DT_INT64).output(m.dtype());
  }

  /** A scalar of a float dtype (half and bfloat16 through a Cast). */
  static TfRef constant(ExportContext c, DataType dt, double value) {
    if (dt == DataType.DT_FLOAT || dt == DataType.DT_DOUBLE) {
      return c.g().scalar(c.hint() + "/c", dt, value);
    }
    return c.cast(c.g().scalar(c.hint() + "/c", DataType.DT_FLOAT, value), dt);
  }
}
