package dev.modelbridge.tensorflow.export;

import org.tensorflow.proto.DataType;

/**
 * Col2Im (opset 18): every column element is added into the image position its block offset and
 * block position address. The positions are computed in the graph from the image and block shapes
 * (which may be fed at run time) and the static strides, dilations and pads; an
 * UnsortedSegmentSum adds the elements up, positions in the padding going to one extra segment
 * that is dropped.
 */
final class Col2ImExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("Col2Im", 18, Col2ImExport::col2im);
  }

  private static void col2im(ExportContext c) throws OpExportException {
    long[] imageDims = c.dims(1).orElseThrow(() -> new OpExportException("the length of image_shape is not known"));
    if (imageDims.length != 1 || imageDims[0] < 1) {
      throw new OpExportException("the length of image_shape is not known");
    }
    int d = (int) imageDims[0];
    long[] dilations = attr(c, "dilations", d, 1);
    long[] strides = attr(c, "strides", d, 1);
    long[] pads = attr(c, "pads", 2 * d, 0);
    TfRef x = c.input(0);
    TfRef image = c.cast(c.input(1), DataType.DT_INT64);
    TfRef block = c.cast(c.input(2), DataType.DT_INT64);
    TfRef blockCount = c.reduce("Prod", block, new long[] {0}, false);
    TfRef[] blocks = new TfRef[d];
    for (int j = 0; j < d; j++) {
      // Blocks that fit along axis j of the padded image.
      TfRef extent = c.op("AddV2", c.op("Mul", c.op("Sub", TfMath.element(c, block, j), one(c)), scalar(c, dilations[j])),
          one(c));
      TfRef room = c.op("Sub", c.op("AddV2", TfMath.element(c, image, j), scalar(c, pads[j] + pads[j + d])), extent);
      blocks[j] = c.op("AddV2", c.op("FloorDiv", room, scalar(c, strides[j])), one(c));
    }
    TfRef blocksVector = c.g().op("Pack", c.hint() + "/blocks").inputs(java.util.List.of(blocks)).attr("N", (long) d)
        .attr("T", DataType.DT_INT64).attr("axis", 0L).output(DataType.DT_INT64);
    TfRef positions = c.reduce("Prod", blocksVector, new long[] {0}, false);
    TfRef k = c.reshape(TfMath.iota(c, blockCount), c.g().int64s(c.hint() + "/col", -1, 1));
    TfRef l = c.reshape(TfMath.iota(c, positions), c.g().int64s(c.hint() + "/row", 1, -1));
    TfRef flat = null;
    TfRef valid = null;
    for (int j = 0; j < d; j++) {
      TfRef offset = digit(c, k, block, j);
      TfRef step = digit(c, l, blocksVector, j);
      // [K, L]: position along axis j of the image for block offset k and block position l.
      TfRef p = c.op("Sub", c.op("AddV2", c.op("Mul", step, scalar(c, strides[j])), c.op("Mul", offset,
          scalar(c, dilations[j]))), scalar(c, pads[j]));
      TfRef size = TfMath.element(c, image, j);
      TfRef inside = TypeExport.logical(c, "LogicalAnd",
          c.op("GreaterEqual", p, scalar(c, 0)).as(DataType.DT_BOOL), c.op("Less", p, size).as(DataType.DT_BOOL));
      valid = valid == null ? inside : TypeExport.logical(c, "LogicalAnd", valid, inside);
      flat = flat == null ? p : c.op("AddV2", c.op("Mul", flat, size), p);
    }
    TfRef pixels = c.reduce("Prod", image, new long[] {0}, false);
    TfRef ids = c.reshape(ElementwiseExport.select(c, valid, flat, pixels), c.g().int64s(c.hint() + "/ids", -1));
    // [N, C*K, L] -> [N, C, K*L] -> [K*L, N, C], summed by segment, back to [N, C, image...].
    TfRef n = ShapeExport.slice(c, c.shapeOf(x), 0, 1, false);
    TfRef columns = c.reshape(x, TfMath.concat(c, 0, n, c.g().int64s(c.hint() + "/c", -1),
        c.reshape(c.op("Mul", blockCount, positions), c.g().int64s(c.hint() + "/one", 1))));
    TfRef summed = c.g().op("UnsortedSegmentSum", c.hint() + "/UnsortedSegmentSum").input(c.transpose(columns, 2, 0, 1))
        .input(ids).input(c.op("AddV2", pixels, one(c))).attr("T", x.dtype()).attr("Tindices", DataType.DT_INT64)
        .attr("Tnumsegments", DataType.DT_INT64).output(x.dtype());
    TfRef kept = c.g().op("Slice", c.hint() + "/kept").input(summed).input(c.g().int64s(c.hint() + "/origin", 0, 0, 0))
        .input(TfMath.concat(c, 0, c.reshape(pixels, c.g().int64s(c.hint() + "/one", 1)), c.g().int64s(c.hint() + "/all", -1, -1)))
        .attr("T", x.dtype()).attr("Index", DataType.DT_INT64).output(x.dtype());
    TfRef nc = ShapeExport.slice(c, c.shapeOf(columns), 0, 2, false);
    c.bind(0, c.reshape(c.transpose(kept, 1, 2, 0), TfMath.concat(c, 0, nc, image)));
  }

  /** Digit {@code j} of the mixed-radix index {@code i} with radices {@code radices} (most significant first). */
  private static TfRef digit(ExportContext c, TfRef i, TfRef radices, int j) {
    TfRef below = c.reduce("Prod", ShapeExport.slice(c, radices, j + 1, 0, true), new long[] {0}, false);
    return c.op("FloorMod", c.op("FloorDiv", i, below), TfMath.element(c, radices, j));
  }

  private static long[] attr(ExportContext c, String name, int length, long dflt) throws OpExportException {
    long[] v = c.attrInts(name).orElse(null);
    if (v == null) {
      v = new long[length];
      java.util.Arrays.fill(v, dflt);
    }
    if (v.length != length) {
      throw new OpExportException(name + " has " + v.length + " values, " + length + " expected");
    }
    return v;
  }

  private static TfRef one(ExportContext c) {
    return scalar(c, 1);
  }

  private static TfRef scalar(ExportContext c, long v) {
    return c.g().scalar(c.hint() + "/c", DataType.DT_INT64, v);
  }
}
