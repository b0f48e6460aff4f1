package dev.modelbridge.tensorflow.export;

import java.util.OptionalInt;
import org.tensorflow.proto.DataType;

/** MatMul (numpy semantics, batched and 1-D operands) and Gemm. */
final class MatrixExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("MatMul", 1, MatrixExport::matMul);
    t.add("Gemm", 1, MatrixExport::gemm);
  }

  private static void matMul(ExportContext c) throws OpExportException {
    TfRef a = c.input(0);
    TfRef b = c.input(1);
    OptionalInt ra = c.rank(0);
    OptionalInt rb = c.rank(1);
    // numpy promotes a 1-D operand to a matrix and removes the added axis from the result.
    boolean vecA = ra.isPresent() && ra.getAsInt() == 1;
    boolean vecB = rb.isPresent() && rb.getAsInt() == 1;
    if (vecA) {
      a = expandDims(c, a, 0);
    }
    if (vecB) {
      b = expandDims(c, b, -1);
    }
    TfRef y;
    if (!vecA && !vecB && ra.isPresent() && rb.isPresent() && ra.getAsInt() == 2 && rb.getAsInt() == 2) {
      y = c.g().op("MatMul", c.hint()).input(a).input(b).attr("T", a.dtype())
          .attr("transpose_a", false).attr("transpose_b", false).output(a.dtype());
    } else {
      y = c.g().op("BatchMatMulV2", c.hint()).input(a).input(b).attr("T", a.dtype())
          .attr("adj_x", false).attr("adj_y", false).output(a.dtype());
    }
    if (vecA) {
      y = squeeze(c, y, -2);
    }
    if (vecB) {
      y = squeeze(c, y, -1);
    }
    c.bind(0, y);
  }

  /** {@code alpha * A' B' + beta * C}, with the transposes as MatMul attributes. */
  private static void gemm(ExportContext c) throws OpExportException {
    TfRef a = c.input(0);
    TfRef y = c.g().op("MatMul", c.hint() + "/MatMul").input(a).input(c.input(1)).attr("T", a.dtype())
        .attr("transpose_a", c.attrInt("transA", 0) != 0).attr("transpose_b", c.attrInt("transB", 0) != 0)
        .output(a.dtype());
    float alpha = c.attrFloat("alpha", 1f);
    float beta = c.attrFloat("beta", 1f);
    if (alpha != 1f) {
      y = c.op("Mul", y, c.scalarLike(y, alpha));
    }
    if (c.hasInput(2) && beta != 0f) {
      TfRef bias = c.input(2);
      if (beta != 1f) {
        bias = c.op("Mul", bias, c.scalarLike(bias, beta));
      }
      y = c.op("AddV2", y, bias);
    }
    c.bind(0, y);
  }

  static TfRef expandDims(ExportContext c, TfRef x, long axis) {
    return c.g().op("ExpandDims", c.hint() + "/ExpandDims").input(x).input(c.g().scalar(c.hint() + "/dim",
        DataType.DT_INT32, axis)).attr("T", x.dtype()).attr("Tdim", DataType.DT_INT32).output(x.dtype());
  }

  static TfRef squeeze(ExportContext c, TfRef x, long... axes) {
    return c.g().op("Squeeze", c.hint() + "/Squeeze").input(x).attr("T", x.dtype()).ints("squeeze_dims", axes)
        .output(x.dtype());
  }
}
