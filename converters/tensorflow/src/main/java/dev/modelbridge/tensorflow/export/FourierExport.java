package dev.modelbridge.tensorflow.export;

import java.util.List;
import org.tensorflow.proto.DataType;

/**
 * DFT (opset 17 with the axis as attribute, 20 with the axis as input, which may be dynamic) and
 * STFT, on TensorFlow's FFT kernels: ONNX's trailing [re, im] axis becomes a complex tensor, the
 * transformed axis is moved innermost, and the result is split back into [re, im].
 */
final class FourierExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("DFT", 17, c -> dft(c, false));
    t.add("DFT", 20, c -> dft(c, true));
    t.add("STFT", 17, FourierExport::stft);
  }

  private static void dft(ExportContext c, boolean axisInput) throws OpExportException {
    int rank = c.requireRank(0);
    boolean complexIn = complexInput(c, 0);
    TfRef x = c.input(0);
    DataType original = x.dtype();
    x = working(c, x);
    boolean inverse = c.attrInt("inverse", 0) != 0;
    boolean onesided = c.attrInt("onesided", 0) != 0;
    TfRef perm;
    if (axisInput && c.hasInput(2) && c.constantInts(2).isEmpty()) {
      perm = dynamicSwap(c, SeqOps.scalar(c, c.cast(c.input(2), DataType.DT_INT64)), rank);
    } else {
      long axis = axisInput ? c.constantInts(2).map(v -> v[0]).orElse(-2L) : c.attrInt("axis", 1);
      axis = c.axis(axis, rank);
      if (axis == rank - 1) {
        throw new OpExportException("the last axis holds [re, im] and cannot be transformed");
      }
      perm = axis == rank - 2 ? null : c.g().int64s(c.hint() + "/perm", swap(rank, axis));
    }
    TfRef moved = perm == null ? x : transpose(c, x, perm);
    TfRef length = c.hasInput(1) ? SeqOps.scalar(c, c.cast(c.input(1), DataType.DT_INT64)) : null;
    TfRef y = transform(c, moved, complexIn, inverse, onesided, length);
    y = perm == null ? y : transpose(c, y, perm);
    c.bind(0, c.cast(y, original));
  }

  /**
   * The transform over axis {@code rank - 2} of {@code x} ([..., N, 1 or 2]), giving
   * [..., K, 2] (or [..., L, 1] for the one-sided inverse); {@code length} is dft_length or null.
   */
  static TfRef transform(ExportContext c, TfRef x, boolean complexIn, boolean inverse, boolean onesided,
      TfRef length) throws OpExportException {
    DataType real = x.dtype();
    DataType cplx = real == DataType.DT_DOUBLE ? DataType.DT_COMPLEX128 : DataType.DT_COMPLEX64;
    TfRef re = SeqOps.indexLast(c, x, 0);
    TfRef im = complexIn ? SeqOps.indexLast(c, x, 1) : c.op("ZerosLike", re);
    if (onesided && inverse) {
      if (length == null) {
        // ONNX's default for the one-sided inverse: 2 (N - 1)
        TfRef n = lastDim(c, re);
        length = c.op("Mul", c.op("Sub", n, c.scalarLike(n, 1)), c.scalarLike(n, 2));
      }
      TfRef y = c.g().op("IRFFT", c.hint() + "/IRFFT").input(complex(c, re, im, cplx)).input(fftLength(c, length))
          .attr("Treal", real).attr("Tcomplex", cplx).output(real);
      return MatrixExport.expandDims(c, y, -1);
    }
    TfRef z;
    if (onesided && !complexIn) {
      z = c.g().op("RFFT", c.hint() + "/RFFT").input(re).input(fftLength(c, length == null ? lastDim(c, re) : length))
          .attr("Treal", real).attr("Tcomplex", cplx).output(cplx);
    } else {
      if (length != null) {
        re = fit(c, re, length);
        im = fit(c, im, length);
      }
      z = c.g().op(inverse ? "IFFT" : "FFT", c.hint() + "/FFT").input(complex(c, re, im, cplx))
          .attr("Tcomplex", cplx).output(cplx);
      if (onesided) {
        TfRef n = length == null ? lastDim(c, re) : length;
        z = fit(c, z, c.op("AddV2", c.op("FloorDiv", n, c.scalarLike(n, 2)), c.scalarLike(n, 1)));
      }
    }
    TfRef outRe = c.g().op("Real", c.hint() + "/Real").input(z).attr("T", cplx).attr("Tout", real).output(real);
    TfRef outIm = c.g().op("Imag", c.hint() + "/Imag").input(z).attr("T", cplx).attr("Tout", real).output(real);
    return SeqOps.pack(c, List.of(outRe, outIm), -1);
  }

  /**
   * Frames of {@code frame_length} samples every {@code frame_step}, gathered with an index matrix
   * (both may be dynamic), windowed, then transformed like DFT over the frame axis.
   */
  private static void stft(ExportContext c) throws OpExportException {
    if (c.requireRank(0) != 3) {
      throw new OpExportException("signal must be [batch, length, 1 or 2]");
    }
    boolean complexIn = complexInput(c, 0);
    TfRef signal = c.input(0);
    DataType original = signal.dtype();
    signal = working(c, signal);
    TfRef step = SeqOps.scalar(c, c.cast(c.input(1), DataType.DT_INT64));
    TfRef frameLength;
    if (c.hasInput(3)) {
      frameLength = SeqOps.scalar(c, c.cast(c.input(3), DataType.DT_INT64));
    } else if (c.hasInput(2)) {
      frameLength = SeqOps.index(c, c.shapeOf(c.input(2)), 0);
    } else {
      throw new OpExportException("STFT needs a window or a frame_length");
    }
    TfRef total = SeqOps.index(c, c.shapeOf(signal), 1);
    TfRef frames = c.op("AddV2", c.op("FloorDiv", c.op("Sub", total, frameLength), step), c.scalarLike(step, 1));
    TfRef zero = c.scalarLike(step, 0);
    TfRef one = c.scalarLike(step, 1);
    TfRef starts = MatrixExport.expandDims(c, c.op("Mul", SeqOps.range(c, zero, frames, one), step), 1);
    TfRef offsets = MatrixExport.expandDims(c, SeqOps.range(c, zero, frameLength, one), 0);
    TfRef index = c.op("AddV2", starts, offsets); // [frames, frame_length]
    TfRef framed = c.g().op("GatherV2", c.hint() + "/frames").input(signal).input(index)
        .input(c.g().scalar(c.hint() + "/axis", DataType.DT_INT64, 1)).attr("Tparams", signal.dtype())
        .attr("Tindices", DataType.DT_INT64).attr("Taxis", DataType.DT_INT64).attr("batch_dims", 0L)
        .output(signal.dtype()); // [batch, frames, frame_length, 1 or 2]
    if (c.hasInput(2)) {
      TfRef window = c.cast(c.input(2), signal.dtype());
      framed = c.op("Mul", framed, MatrixExport.expandDims(c, window, 1));
    }
    boolean onesided = c.attrInt("onesided", 1) != 0 && !complexIn;
    TfRef y = transform(c, framed, complexIn, false, onesided, frameLength);
    c.bind(0, c.cast(y, original));
  }

  /** Whether the trailing axis of input {@code i} is [re, im] (2) rather than real (1). */
  private static boolean complexInput(ExportContext c, int i) throws OpExportException {
    long[] d = c.dims(i).orElseThrow(() -> new OpExportException("the shape of input " + i + " is not known"));
    long last = d.length == 0 ? -1 : d[d.length - 1];
    if (last != 1 && last != 2) {
      throw new OpExportException("the last axis of input " + i + " must be statically 1 (real) or 2 (complex)");
    }
    return last == 2;
  }

  /** TensorFlow's FFT kernels take float or double: other float types go through float. */
  private static TfRef working(ExportContext c, TfRef x) {
    return x.dtype() == DataType.DT_DOUBLE ? x : c.cast(x, DataType.DT_FLOAT);
  }

  private static TfRef complex(ExportContext c, TfRef re, TfRef im, DataType cplx) {
    return c.g().op("Complex", c.hint() + "/Complex").input(re).input(im).attr("T", re.dtype()).attr("Tout", cplx)
        .output(cplx);
  }

  /** The innermost dimension of {@code x} as an int64 scalar. */
  private static TfRef lastDim(ExportContext c, TfRef x) {
    TfRef shape = c.shapeOf(x);
    return c.g().op("StridedSlice", c.hint() + "/last_dim").input(shape).input(c.g().int64s(c.hint() + "/b", -1))
        .input(c.g().int64s(c.hint() + "/e", 0)).input(c.g().int64s(c.hint() + "/s", 1))
        .attr("T", DataType.DT_INT64).attr("Index", DataType.DT_INT64).attr("end_mask", 1L)
        .attr("shrink_axis_mask", 1L).output(DataType.DT_INT64);
  }

  private static TfRef fftLength(ExportContext c, TfRef length) {
    return c.reshape(c.cast(length, DataType.DT_INT32), c.g().int32s(c.hint() + "/one", 1));
  }

  /** {@code x} zero-padded or cut to {@code length} along its innermost axis. */
  private static TfRef fit(ExportContext c, TfRef x, TfRef length) {
    TfRef n = lastDim(c, x);
    TfRef pad = c.op("Maximum", c.op("Sub", length, n), c.scalarLike(n, 0));
    TfRef rankMinus1 = c.op("Sub", c.g().op("Rank", c.hint() + "/Rank").input(x).attr("T", x.dtype())
        .output(DataType.DT_INT32), c.g().scalar(c.hint() + "/one", DataType.DT_INT32, 1));
    TfRef leading = c.g().op("Fill", c.hint() + "/Fill").input(MatrixExport.expandDims(c, c.op("Mul", rankMinus1,
        c.g().scalar(c.hint() + "/two", DataType.DT_INT32, 2)), 0)).input(c.g().scalar(c.hint() + "/z", DataType.DT_INT64, 0))
        .attr("T", DataType.DT_INT64).attr("index_type", DataType.DT_INT32).output(DataType.DT_INT64);
    TfRef flat = SeqOps.concat(c, List.of(leading, c.g().int64s(c.hint() + "/z0", 0), MatrixExport.expandDims(c, pad, 0)), 0);
    TfRef paddings = c.reshape(flat, c.g().int64s(c.hint() + "/pad_shape", -1, 2));
    TfRef padded = c.g().op("Pad", c.hint() + "/Pad").input(x).input(paddings).attr("T", x.dtype())
        .attr("Tpaddings", DataType.DT_INT64).output(x.dtype());
    return c.g().op("StridedSlice", c.hint() + "/cut").input(padded).input(c.g().int64s(c.hint() + "/b", 0, 0))
        .input(SeqOps.pack(c, List.of(c.g().scalar(c.hint() + "/z", DataType.DT_INT64, 0), length), 0))
        .input(c.g().int64s(c.hint() + "/s", 1, 1)).attr("T", x.dtype()).attr("Index", DataType.DT_INT64)
        .attr("ellipsis_mask", 1L).output(x.dtype());
  }

  /** The permutation exchanging a dynamic {@code axis} with {@code rank - 2} (its own inverse). */
  private static TfRef dynamicSwap(ExportContext c, TfRef axis, int rank) {
    TfRef a = c.op("FloorMod", axis, c.scalarLike(axis, rank));
    long[] iotaValues = new long[rank];
    for (int i = 0; i < rank; i++) {
      iotaValues[i] = i;
    }
    TfRef iota = c.g().int64s(c.hint() + "/iota", iotaValues);
    TfRef target = c.g().scalar(c.hint() + "/target", DataType.DT_INT64, rank - 2);
    TfRef inner = SeqOps.select(c, SeqOps.compare(c, "Equal", iota, target), a, iota);
    return SeqOps.select(c, SeqOps.compare(c, "Equal", iota, a), target, inner);
  }

  private static long[] swap(int rank, long axis) {
    long[] perm = new long[rank];
    for (int i = 0; i < rank; i++) {
      perm[i] = i;
    }
    perm[(int) axis] = rank - 2;
    perm[rank - 2] = axis;
    return perm;
  }

  private static TfRef transpose(ExportContext c, TfRef x, TfRef perm) {
    return c.g().op("Transpose", c.hint() + "/Transpose").input(x).input(perm).attr("T", x.dtype())
        .attr("Tperm", perm.dtype()).output(x.dtype());
  }
}
