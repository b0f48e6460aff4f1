package dev.modelbridge.tensorflow.export;

import dev.modelbridge.ir.ElementType;
import org.tensorflow.proto.DataType;

/**
 * The window generators HannWindow, HammingWindow and BlackmanWindow (cosine sums over
 * {@code Range}, the size may be dynamic) and MelWeightMatrix (triangular filters computed in the
 * graph from its five scalar inputs, following ONNX's reference implementation).
 */
final class WindowExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("HannWindow", 17, c -> window(c, 0.5, 0.5, 0));
    t.add("HammingWindow", 17, c -> window(c, 25.0 / 46.0, 21.0 / 46.0, 0));
    t.add("BlackmanWindow", 17, c -> window(c, 0.42, 0.5, 0.08));
    t.add("MelWeightMatrix", 17, WindowExport::melWeightMatrix);
  }

  /** {@code a0 - a1 cos(2 pi n / N) + a2 cos(4 pi n / N)}, N = size (periodic) or size - 1. */
  private static void window(ExportContext c, double a0, double a1, double a2) throws OpExportException {
    TfRef size = SeqOps.scalar(c, c.cast(c.input(0), DataType.DT_INT64));
    TfRef n = c.cast(SeqOps.range(c, c.g().scalar(c.hint() + "/zero", DataType.DT_INT64, 0), size,
        c.g().scalar(c.hint() + "/one", DataType.DT_INT64, 1)), DataType.DT_DOUBLE);
    TfRef denom = c.cast(size, DataType.DT_DOUBLE);
    if (c.attrInt("periodic", 1) == 0) {
      denom = c.op("Sub", denom, c.scalarLike(denom, 1));
    }
    TfRef angle = c.op("RealDiv", c.op("Mul", n, c.scalarLike(n, 2 * Math.PI)), denom);
    TfRef w = c.op("Sub", c.scalarLike(angle, a0), c.op("Mul", c.op("Cos", angle), c.scalarLike(angle, a1)));
    if (a2 != 0) {
      w = c.op("AddV2", w, c.op("Mul", c.op("Cos", c.op("Mul", angle, c.scalarLike(angle, 2))), c.scalarLike(angle, a2)));
    }
    c.bind(0, c.cast(w, outputType(c)));
  }

  /**
   * Rows are spectrogram bins {@code j}, columns mel bands {@code i} with edges {@code l <= c <= h}
   * (bin numbers): rising {@code (j - l) / (c - l)} on {@code [l, c]}, falling
   * {@code (h - j) / (h - c)} on {@code [c, h)}, which wins where both apply.
   */
  private static void melWeightMatrix(ExportContext c) throws OpExportException {
    TfRef bands = SeqOps.scalar(c, c.cast(c.input(0), DataType.DT_INT64));
    TfRef dftLength = SeqOps.scalar(c, c.cast(c.input(1), DataType.DT_INT64));
    TfRef rate = c.cast(SeqOps.scalar(c, c.input(2)), DataType.DT_DOUBLE);
    // The reference computes the mel edges in the inputs' float type, the bins in double.
    TfRef lowMel = mel(c, SeqOps.scalar(c, c.cast(c.input(3), DataType.DT_FLOAT)));
    TfRef highMel = mel(c, SeqOps.scalar(c, c.cast(c.input(4), DataType.DT_FLOAT)));
    TfRef two = c.scalarLike(bands, 2);
    TfRef points = c.op("AddV2", bands, two);
    TfRef step = c.op("RealDiv", c.op("Sub", highMel, lowMel), c.cast(points, DataType.DT_FLOAT));
    TfRef k = c.cast(SeqOps.range(c, c.scalarLike(bands, 0), points, c.scalarLike(bands, 1)), DataType.DT_DOUBLE);
    TfRef melK = c.op("AddV2", c.op("Mul", k, c.cast(step, DataType.DT_DOUBLE)), c.cast(lowMel, DataType.DT_DOUBLE));
    TfRef pow = c.op("Exp", c.op("Mul", melK, c.scalarLike(melK, Math.log(10) / 2595)));
    TfRef hz = c.op("Mul", c.op("Sub", pow, c.scalarLike(pow, 1)), c.scalarLike(pow, 700));
    TfRef scaled = c.op("Mul", hz, c.cast(c.op("AddV2", dftLength, c.scalarLike(dftLength, 1)), DataType.DT_DOUBLE));
    TfRef bins = c.op("Floor", c.op("RealDiv", scaled, rate)); // [M + 2], whole numbers
    TfRef lo = slice(c, bins, 0, bands);
    TfRef mid = slice(c, bins, 1, bands);
    TfRef hi = slice(c, bins, 2, bands);
    TfRef spectrum = c.op("AddV2", c.op("FloorDiv", dftLength, two), c.scalarLike(dftLength, 1));
    TfRef j = c.cast(SeqOps.range(c, c.scalarLike(bands, 0), spectrum, c.scalarLike(bands, 1)), DataType.DT_DOUBLE);
    j = MatrixExport.expandDims(c, j, 1); // [N, 1] against [M]
    TfRef zero = c.op("ZerosLike", c.op("Sub", j, lo));
    TfRef one = c.op("OnesLike", zero);
    TfRef rising = c.op("RealDiv", c.op("Sub", j, lo), c.op("Sub", mid, lo));
    rising = SeqOps.select(c, SeqOps.compare(c, "Equal", mid, lo), one, rising);
    TfRef onRise = logicalAnd(c, SeqOps.compare(c, "GreaterEqual", j, lo), SeqOps.compare(c, "LessEqual", j, mid));
    TfRef falling = c.op("RealDiv", c.op("Sub", hi, j), c.op("Sub", hi, mid));
    TfRef onFall = logicalAnd(c, SeqOps.compare(c, "GreaterEqual", j, mid), SeqOps.compare(c, "Less", j, hi));
    TfRef out = SeqOps.select(c, onFall, falling, SeqOps.select(c, onRise, rising, zero));
    c.bind(0, c.cast(out, outputType(c)));
  }

  private static TfRef logicalAnd(ExportContext c, TfRef a, TfRef b) {
    return c.g().op("LogicalAnd", c.hint() + "/LogicalAnd").input(a).input(b).output(DataType.DT_BOOL);
  }

  /** {@code 2595 log10(1 + f / 700)}. */
  private static TfRef mel(ExportContext c, TfRef hz) {
    TfRef ratio = c.op("AddV2", c.op("RealDiv", hz, c.scalarLike(hz, 700)), c.scalarLike(hz, 1));
    return c.op("Mul", c.op("Log", ratio), c.scalarLike(hz, 2595 / Math.log(10)));
  }

  /** {@code x[begin : begin + length]} of a vector. */
  private static TfRef slice(ExportContext c, TfRef x, long begin, TfRef length) {
    TfRef b = c.g().int64s(c.hint() + "/begin", begin);
    return c.g().op("Slice", c.hint() + "/Slice").input(x).input(b).input(c.reshape(length, c.g().int32s(c.hint() + "/len", 1)))
        .attr("T", x.dtype()).attr("Index", DataType.DT_INT64).output(x.dtype());
  }

  private static DataType outputType(ExportContext c) throws OpExportException {
    long code = c.attrInt("output_datatype", 1);
    return ExportContext.dtype(ElementType.fromCode((int) code)
        .orElseThrow(() -> new OpExportException("unknown output_datatype " + code)));
  }
}
