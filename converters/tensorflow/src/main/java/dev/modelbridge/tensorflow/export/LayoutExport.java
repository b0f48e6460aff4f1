package dev.modelbridge.tensorflow.export;

import dev.modelbridge.ir.ElementType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.tensorflow.proto.DataType;

/**
 * Ops that rearrange or generate tensors: Tile, Trilu, DepthToSpace, SpaceToDepth,
 * ReverseSequence, EyeLike and Range.
 */
final class LayoutExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("Tile", 6, c -> {
      TfRef x = c.input(0);
      c.bind(0, c.g().op("Tile", c.hint()).input(x).input(c.cast(c.input(1), DataType.DT_INT64))
          .attr("T", x.dtype()).attr("Tmultiples", DataType.DT_INT64).output(x.dtype()));
    });
    t.add("Trilu", 14, LayoutExport::trilu);
    t.add("DepthToSpace", 1, LayoutExport::depthToSpace);
    t.add("SpaceToDepth", 1, c -> c.bind(0, nhwc(c, "SpaceToDepth", c.input(0))));
    t.add("ReverseSequence", 10, c -> {
      TfRef x = c.input(0);
      TfRef lens = c.input(1);
      c.bind(0, c.g().op("ReverseSequence", c.hint()).input(x).input(lens).attr("T", x.dtype())
          .attr("Tlen", lens.dtype()).attr("seq_dim", c.attrInt("time_axis", 0))
          .attr("batch_dim", c.attrInt("batch_axis", 1)).output(x.dtype()));
    });
    t.add("EyeLike", 9, LayoutExport::eyeLike);
    t.add("Range", 11, c -> c.bind(0, TfMath.range(c, TfMath.toScalar(c, c.input(0)), TfMath.toScalar(c, c.input(1)),
        TfMath.toScalar(c, c.input(2)))));
  }

  /** {@code col - row} for the last two dimensions of {@code x}: a {@code [rows, cols]} int64 matrix. */
  private static TfRef diagonalOffset(ExportContext c, TfRef x, int rank) {
    TfRef rows = c.reshape(TfMath.iota(c, TfMath.dim(c, x, rank - 2)), c.g().int64s(c.hint() + "/col", -1, 1));
    TfRef cols = c.reshape(TfMath.iota(c, TfMath.dim(c, x, rank - 1)), c.g().int64s(c.hint() + "/row", 1, -1));
    return c.op("Sub", cols, rows);
  }

  /** Keeps the elements on and above (upper) or below (lower) diagonal {@code k}. */
  private static void trilu(ExportContext c) throws OpExportException {
    TfRef x = c.input(0);
    int rank = c.requireRank(0);
    TfRef k = c.hasInput(1) ? c.cast(TfMath.toScalar(c, c.input(1)), DataType.DT_INT64)
        : c.g().scalar(c.hint() + "/k", DataType.DT_INT64, 0);
    boolean upper = c.attrInt("upper", 1) != 0;
    TfRef keep = c.op(upper ? "GreaterEqual" : "LessEqual", diagonalOffset(c, x, rank), k).as(DataType.DT_BOOL);
    c.bind(0, ElementwiseExport.select(c, keep, x, c.op("ZerosLike", x)));
  }

  private static void eyeLike(ExportContext c) throws OpExportException {
    TfRef x = c.input(0);
    DataType to = x.dtype();
    if (c.node().attribute("dtype").isPresent()) {
      long code = c.attrInt("dtype", 0);
      to = ExportContext.dtype(ElementType.fromCode((int) code)
          .orElseThrow(() -> new OpExportException("unknown element type " + code)));
    }
    TfRef k = c.g().scalar(c.hint() + "/k", DataType.DT_INT64, c.attrInt("k", 0));
    TfRef eye = c.op("Equal", diagonalOffset(c, x, 2), k).as(DataType.DT_BOOL);
    c.bind(0, c.cast(eye, to));
  }

  /**
   * TensorFlow's DepthToSpace is ONNX's DCR mode in NHWC. CRD reads the channels in another
   * order: they are permuted first (the channel count must be known).
   */
  private static void depthToSpace(ExportContext c) throws OpExportException {
    TfRef x = c.input(0);
    if (c.attrString("mode", "DCR").equals("CRD")) {
      long[] dims = c.dims(0).orElseThrow(() -> new OpExportException("CRD mode needs the input's shape"));
      long b = c.attrInt("blocksize", 0);
      long channels = dims.length == 4 ? dims[1] : -1;
      if (channels < 0 || b <= 0) {
        throw new OpExportException("CRD mode needs a known channel count");
      }
      long out = channels / (b * b);
      ByteBuffer perm = ByteBuffer.allocate((int) channels * 8).order(ByteOrder.LITTLE_ENDIAN);
      for (long ij = 0; ij < b * b; ij++) {
        for (long ch = 0; ch < out; ch++) {
          perm.putLong(ch * b * b + ij);
        }
      }
      x = c.g().op("GatherV2", c.hint() + "/crd").input(x)
          .input(c.g().constant(c.hint() + "/perm", DataType.DT_INT64, new long[] {channels}, perm.flip()))
          .input(c.g().scalar(c.hint() + "/axis", DataType.DT_INT64, 1)).attr("Tparams", x.dtype())
          .attr("Tindices", DataType.DT_INT64).attr("Taxis", DataType.DT_INT64).attr("batch_dims", 0L)
          .output(x.dtype());
    }
    c.bind(0, nhwc(c, "DepthToSpace", x));
  }

  /** {@code op} (DepthToSpace, SpaceToDepth) run in NHWC between two Transposes. */
  private static TfRef nhwc(ExportContext c, String op, TfRef x) {
    TfRef in = c.transpose(x, 0, 2, 3, 1);
    TfRef y = c.g().op(op, c.hint() + "/" + op).input(in).attr("T", x.dtype())
        .attr("block_size", c.attrInt("blocksize", 0)).attr("data_format", "NHWC").output(x.dtype());
    return c.transpose(y, 0, 3, 1, 2);
  }
}
