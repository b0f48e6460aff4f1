package dev.modelbridge.tensorflow.export;

import dev.modelbridge.ir.ElementType;
import java.util.Optional;
import org.tensorflow.proto.DataType;

/**
 * Linear quantisation: QuantizeLinear and DequantizeLinear per tensor, per axis and blocked
 * (opset 21), and DynamicQuantizeLinear. Arithmetic is done in float32; rounding is half to even
 * (Rint) and results saturate to the integer type's range, as the operators define.
 */
final class QuantizeExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("QuantizeLinear", 10, QuantizeExport::quantize);
    t.add("DequantizeLinear", 10, QuantizeExport::dequantize);
    t.add("DynamicQuantizeLinear", 11, QuantizeExport::dynamicQuantize);
  }

  private static void quantize(ExportContext c) throws OpExportException {
    DataType out;
    if (c.hasInput(2)) {
      out = c.input(2).dtype();
    } else {
      long code = c.attrInt("output_dtype", 0);
      out = code == 0 ? DataType.DT_UINT8 : ExportContext.dtype(ElementType.fromCode((int) code)
          .orElseThrow(() -> new OpExportException("unknown output_dtype " + code)));
    }
    int rank = c.requireRank(0);
    TfRef x = c.cast(c.input(0), DataType.DT_FLOAT);
    TfRef scale = param(c, 1, rank);
    TfRef zp = c.hasInput(2) ? param(c, 2, rank) : null;
    c.bind(0, quantizeWith(c, x, scale, zp, out));
  }

  /** {@code saturate(rint(x / scale) + zp)} as {@code out}; {@code zp} may be null. */
  static TfRef quantizeWith(ExportContext c, TfRef x, TfRef scale, TfRef zp, DataType out) throws OpExportException {
    TfRef q = c.op("Rint", c.op("RealDiv", x, c.cast(scale, DataType.DT_FLOAT)));
    if (zp != null) {
      q = c.op("AddV2", q, c.cast(zp, DataType.DT_FLOAT));
    }
    return saturate(c, q, out);
  }

  /** Clips a float tensor to the range of integer type {@code out} and casts it there. */
  static TfRef saturate(ExportContext c, TfRef q, DataType out) throws OpExportException {
    double[] range = switch (out) {
      case DT_UINT8 -> new double[] {0, 255};
      case DT_INT8 -> new double[] {-128, 127};
      case DT_UINT16 -> new double[] {0, 65535};
      case DT_INT16 -> new double[] {-32768, 32767};
      case DT_INT32 -> new double[] {-2147483648.0, 2147483520.0};
      default -> throw new OpExportException("quantising to " + out + " is not converted");
    };
    TfRef clipped = c.op("Minimum", c.op("Maximum", q, c.scalarLike(q, range[0])), c.scalarLike(q, range[1]));
    return c.cast(clipped, out);
  }

  private static void dequantize(ExportContext c) throws OpExportException {
    int rank = c.requireRank(0);
    TfRef scale = param(c, 1, rank);
    TfRef x = c.cast(c.input(0), DataType.DT_FLOAT);
    if (c.hasInput(2)) {
      x = c.op("Sub", x, c.cast(param(c, 2, rank), DataType.DT_FLOAT));
    }
    TfRef y = c.op("Mul", x, c.cast(scale, DataType.DT_FLOAT));
    long code = c.attrInt("output_dtype", 0);
    DataType out = code == 0 ? scale.dtype() : ExportContext.dtype(ElementType.fromCode((int) code)
        .orElseThrow(() -> new OpExportException("unknown output_dtype " + code)));
    c.bind(0, c.cast(y, out));
  }

  /**
   * Input {@code i} (a scale or zero point) shaped to broadcast against the data: as is per
   * tensor, a vector laid along {@code axis}, or each block's value repeated over its block.
   */
  private static TfRef param(ExportContext c, int i, int rank) throws OpExportException {
    TfRef p = c.input(i);
    Optional<long[]> dims = c.dims(i);
    long blockSize = c.attrInt("block_size", 0);
    int prank = c.requireRank(i);
    if (prank == 0 || prank == 1 && dims.get()[0] == 1 && blockSize == 0) {
      return p;
    }
    long axis = c.axis(c.attrInt("axis", 1), rank);
    if (blockSize > 0) {
      TfRef idx = c.op("FloorDiv", MlGraphOps.range(c, MlGraphOps.dim(c, c.input(0), axis)), MlGraphOps.i64(c, blockSize));
      return MlGraphOps.gather(c, p, idx, axis);
    }
    if (prank != 1) {
      throw new OpExportException("a per-axis scale or zero point must be 1-D, not " + prank + "-D");
    }
    long[] shape = new long[rank - (int) axis];
    java.util.Arrays.fill(shape, 1);
    shape[0] = -1;
    return c.reshape(p, c.g().int64s(c.hint() + "/axis_shape", shape));
  }

  /** uint8 with a scale and zero point from the range of the data widened to include 0. */
  private static void dynamicQuantize(ExportContext c) throws OpExportException {
    TfRef x = c.cast(c.input(0), DataType.DT_FLOAT);
    int rank = c.requireRank(0);
    long[] all = new long[rank];
    for (int i = 0; i < rank; i++) {
      all[i] = i;
    }
    TfRef zero = c.scalarLike(x, 0);
    TfRef lo = c.op("Minimum", c.reduce("Min", x, all, false), zero);
    TfRef hi = c.op("Maximum", c.reduce("Max", x, all, false), zero);
    TfRef scale = c.op("RealDiv", c.op("Sub", hi, lo), c.scalarLike(x, 255));
    TfRef zpFloat = c.op("Rint", c.op("RealDiv", c.op("Neg", lo), scale));
    TfRef zp = saturate(c, zpFloat, DataType.DT_UINT8);
    TfRef clippedZp = c.op("Minimum", c.op("Maximum", zpFloat, zero), c.scalarLike(x, 255));
    c.bind(0, saturate(c, c.op("AddV2", c.op("Rint", c.op("RealDiv", x, scale)), clippedZp), DataType.DT_UINT8));
    c.bind(1, scale);
    c.bind(2, zp);
  }
}
