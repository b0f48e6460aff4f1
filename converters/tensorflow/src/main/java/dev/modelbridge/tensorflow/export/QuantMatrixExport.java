package dev.modelbridge.tensorflow.export;

import org.tensorflow.proto.DataType;

/**
 * Integer and quantised products: MatMulInteger, QLinearMatMul, ConvInteger and QLinearConv
 * (2-D, one group). The zero points are subtracted and the product taken in float64, which holds
 * every int32 accumulator exactly; the quantised ops then requantise with half-to-even rounding.
 */
final class QuantMatrixExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("MatMulInteger", 10, c -> c.bind(0, c.cast(matmul(c, 0, 2, 1, 3), DataType.DT_INT32)));
    t.add("QLinearMatMul", 10, QuantMatrixExport::qlinearMatMul);
    t.add("ConvInteger", 10, c -> c.bind(0, c.cast(conv(c, 0, 2, 1, 3), DataType.DT_INT32)));
    t.add("QLinearConv", 10, QuantMatrixExport::qlinearConv);
  }

  private static void qlinearMatMul(ExportContext c) throws OpExportException {
    TfRef acc = matmul(c, 0, 2, 3, 5);
    TfRef multiplier = c.op("RealDiv", c.op("Mul", rowParam(c, 1), asFloat(c, 4)), asFloat(c, 6));
    TfRef y = c.op("Mul", c.cast(acc, DataType.DT_FLOAT), multiplier);
    c.bind(0, QuantizeExport.quantizeWith(c, y, c.scalarLike(y, 1), c.input(7), c.input(7).dtype()));
  }

  private static void qlinearConv(ExportContext c) throws OpExportException {
    TfRef acc = conv(c, 0, 2, 3, 5);
    // Per-output-channel kernel scales lie along the channel axis of the NCHW result.
    TfRef wScale = asFloat(c, 4);
    if (c.rank(4).orElse(0) == 1 && c.dims(4).get()[0] != 1) {
      wScale = c.reshape(wScale, c.g().int64s(c.hint() + "/chan", -1, 1, 1));
    }
    TfRef multiplier = c.op("RealDiv", c.op("Mul", asFloat(c, 1), wScale), asFloat(c, 6));
    TfRef y = c.op("Mul", c.cast(acc, DataType.DT_FLOAT), multiplier);
    if (c.hasInput(8)) {
      // The int32 bias is in the accumulator's scale: added before requantising.
      y = c.op("AddV2", y, c.reshape(c.op("Mul", c.cast(c.input(8), DataType.DT_FLOAT),
          c.op("Mul", asFloat(c, 1), asFloat(c, 4))), c.g().int64s(c.hint() + "/bias", -1, 1, 1)));
    }
    c.bind(0, QuantizeExport.quantizeWith(c, y, c.scalarLike(y, 1), c.input(7), c.input(7).dtype()));
  }

  private static TfRef asFloat(ExportContext c, int i) throws OpExportException {
    return c.cast(c.input(i), DataType.DT_FLOAT);
  }

  /** A scale of the left operand, per row when it is a vector of more than one value. */
  private static TfRef rowParam(ExportContext c, int i) throws OpExportException {
    TfRef p = asFloat(c, i);
    if (c.rank(i).orElse(0) == 1 && c.dims(i).get()[0] != 1) {
      p = c.reshape(p, c.g().int64s(c.hint() + "/rows", -1, 1));
    }
    return p;
  }

  /** {@code x - zp} in float64; {@code zp} optional, per row ({@code rows}) or per last axis. */
  private static TfRef centred(ExportContext c, int x, int zp, boolean rows) throws OpExportException {
    TfRef v = c.cast(c.input(x), DataType.DT_DOUBLE);
    if (!c.hasInput(zp)) {
      return v;
    }
    TfRef z = c.cast(c.input(zp), DataType.DT_DOUBLE);
    if (rows && c.rank(zp).orElse(0) == 1 && c.dims(zp).get()[0] != 1) {
      z = c.reshape(z, c.g().int64s(c.hint() + "/rows", -1, 1));
    }
    return c.op("Sub", v, z);
  }

  /** {@code (a - a_zp) @ (b - b_zp)} in float64. */
  private static TfRef matmul(ExportContext c, int a, int aZp, int b, int bZp) throws OpExportException {
    if (c.requireRank(a) < 2 || c.requireRank(b) < 2) {
      throw new OpExportException("1-D operands are not converted");
    }
    return MlGraphOps.batchMatMul(c, centred(c, a, aZp, true), centred(c, b, bZp, false), false, false);
  }

  /** The NCHW convolution of {@code x - x_zp} by {@code w - w_zp} in float64 (2-D, group 1). */
  private static TfRef conv(ExportContext c, int x, int xZp, int w, int wZp) throws OpExportException {
    if (c.requireRank(x) != 4 || c.attrInt("group", 1) != 1) {
      throw new OpExportException("only 2-D convolutions of one group are converted");
    }
    TfRef xc = centred(c, x, xZp, false);
    TfRef wc = c.cast(c.input(w), DataType.DT_DOUBLE);
    if (c.hasInput(wZp)) {
      TfRef z = c.cast(c.input(wZp), DataType.DT_DOUBLE);
      if (c.rank(wZp).orElse(0) == 1) {
        z = c.reshape(z, c.g().int64s(c.hint() + "/oc", -1, 1, 1, 1));
      }
      wc = c.op("Sub", wc, z);
    }
    ConvExport.Spatial s = ConvExport.Spatial.of(c, 2, false);
    TfGraph.Node n = c.g().op("Conv2D", c.hint() + "/Conv2D").input(c.transpose(xc, 0, 2, 3, 1))
        .input(c.transpose(wc, 2, 3, 1, 0)).attr("T", DataType.DT_DOUBLE).ints("strides", s.strides())
        .ints("dilations", s.dilations()).attr("padding", s.padding()).attr("data_format", "NHWC");
    if (s.padding().equals("EXPLICIT")) {
      n.ints("explicit_paddings", s.explicit());
    }
    return c.transpose(n.output(DataType.DT_DOUBLE), 0, 3, 1, 2);
  }
}
