package dev.modelbridge.tensorflow.export;

import java.util.List;
import org.tensorflow.proto.DataType;

/**
 * RotaryEmbedding (opset 23): the input taken as {@code [B, S, H, D]} (from 4-D {@code [B, H, S, D]}
 * or 3-D {@code [B, S, H*D]} with {@code num_heads}), the first {@code rotary_embedding_dim}
 * features rotated in halves or interleaved pairs by the cos/sin caches (indexed by
 * {@code position_ids} when given), the rest passed through.
 */
final class RotaryExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("RotaryEmbedding", 23, RotaryExport::rotary);
  }

  private static void rotary(ExportContext c) throws OpExportException {
    int rank = c.requireRank(0);
    TfRef in = c.input(0);
    TfRef x;
    if (rank == 4) {
      x = c.transpose(in, 0, 2, 1, 3);
    } else if (rank == 3) {
      long heads = c.attrInt("num_heads", 0);
      if (heads <= 0) {
        throw new OpExportException("a 3-D input needs the num_heads attribute");
      }
      x = c.reshape(in, MlGraphOps.shape(c, List.of(MlGraphOps.dim(c, in, 0), MlGraphOps.dim(c, in, 1),
          MlGraphOps.i64(c, heads), MlGraphOps.i64(c, -1))));
    } else {
      throw new OpExportException("the input must be 3-D or 4-D, not " + rank + "-D");
    }
    long rotaryDim = c.attrInt("rotary_embedding_dim", 0);
    TfRef rotate = rotaryDim > 0 ? lastAxis(c, x, 0, rotaryDim) : x;
    TfRef cos = c.input(1);
    TfRef sin = c.input(2);
    if (c.hasInput(3)) {
      cos = MlGraphOps.gather(c, cos, c.input(3), 0);
      sin = MlGraphOps.gather(c, sin, c.input(3), 0);
    }
    cos = MatrixExport.expandDims(c, cos, 2);
    sin = MatrixExport.expandDims(c, sin, 2);
    boolean interleaved = c.attrInt("interleaved", 0) != 0;
    TfRef pairs = rotate;
    if (interleaved) {
      // [.., 2k] and [.., 2k+1] as the two halves: pair them on a new last axis of size 2.
      pairs = c.reshape(rotate, MlGraphOps.shape(c, List.of(MlGraphOps.dim(c, rotate, 0),
          MlGraphOps.dim(c, rotate, 1), MlGraphOps.dim(c, rotate, 2), MlGraphOps.i64(c, -1), MlGraphOps.i64(c, 2))));
    }
    TfRef halves = c.g().op("Split", c.hint() + "/Split").input(c.g().scalar(c.hint() + "/axis", DataType.DT_INT32, -1))
        .input(pairs).attr("T", pairs.dtype()).attr("num_split", 2L).output(pairs.dtype());
    TfRef x1 = halves;
    TfRef x2 = new TfRef(halves.node(), 1, halves.dtype());
    if (interleaved) {
      x1 = MatrixExport.squeeze(c, x1, -1);
      x2 = MatrixExport.squeeze(c, x2, -1);
    }
    TfRef real = c.op("Sub", c.op("Mul", cos, x1), c.op("Mul", sin, x2));
    TfRef imag = c.op("AddV2", c.op("Mul", sin, x1), c.op("Mul", cos, x2));
    TfRef rotated;
    if (interleaved) {
      TfRef stacked = MlGraphOps.concat(c, -1, MatrixExport.expandDims(c, real, -1), MatrixExport.expandDims(c, imag, -1));
      rotated = c.reshape(stacked, c.shapeOf(rotate));
    } else {
      rotated = MlGraphOps.concat(c, -1, real, imag);
    }
    TfRef y = rotaryDim > 0 ? MlGraphOps.concat(c, -1, rotated, lastAxis(c, x, rotaryDim, -1)) : rotated;
    c.bind(0, rank == 4 ? c.transpose(y, 0, 2, 1, 3) : c.reshape(y, c.shapeOf(in)));
  }

  /** {@code x[..., begin:end]}; {@code end -1} to the end. */
  private static TfRef lastAxis(ExportContext c, TfRef x, long begin, long end) {
    return c.g().op("StridedSlice", c.hint() + "/StridedSlice").input(x).input(c.g().int64s(c.hint() + "/b", 0, begin))
        .input(c.g().int64s(c.hint() + "/e", 0, Math.max(end, 0))).input(c.g().int64s(c.hint() + "/s", 1, 1))
        .attr("T", x.dtype()).attr("Index", DataType.DT_INT64).attr("ellipsis_mask", 1L)
        .attr("end_mask", end < 0 ? 2L : 0L).output(x.dtype());
  }
}
