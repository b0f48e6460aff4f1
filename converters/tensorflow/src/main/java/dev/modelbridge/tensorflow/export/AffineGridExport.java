package dev.modelbridge.tensorflow.export;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.proto.DataType;

/**
 * AffineGrid (opset 20): the normalised coordinates of every output position, {@code [x, y, 1]}
 * (2-D) or {@code [x, y, z, 1]} (3-D) with x along the last spatial axis, multiplied by each
 * {@code theta}. The size input may be fed at run time: the grid is built from its values.
 */
final class AffineGridExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("AffineGrid", 20, AffineGridExport::affineGrid);
  }

  private static void affineGrid(ExportContext c) throws OpExportException {
    TfRef theta = c.input(0);
    TfRef size = c.cast(c.input(1), DataType.DT_INT64);
    int spatial = spatialRank(c);
    boolean alignCorners = c.attrInt("align_corners", 0) != 0;
    TfRef spatialShape = ShapeExport.slice(c, size, 2, 0, true);
    // One coordinate tensor of the spatial shape per component; component m runs along spatial axis
    // spatial - 1 - m (x along the width).
    List<TfRef> parts = new ArrayList<>();
    for (int m = 0; m < spatial; m++) {
      int axis = spatial - 1 - m;
      TfRef line = coordinates(c, TfMath.element(c, spatialShape, axis), theta.dtype(), alignCorners);
      long[] dims = new long[spatial];
      java.util.Arrays.fill(dims, 1);
      dims[axis] = -1;
      parts.add(broadcast(c, c.reshape(line, c.g().int64s(c.hint() + "/line_shape", dims)), spatialShape));
    }
    parts.add(broadcast(c, TfMath.like(c, theta, 1), spatialShape));
    TfRef base = TfMath.stackLast(c, parts);
    // [1, prod(spatial), spatial + 1] x theta^T [N, spatial + 1, spatial] -> [N, prod(spatial), spatial].
    TfRef points = c.reshape(base, c.g().int64s(c.hint() + "/points", 1, -1, spatial + 1));
    TfRef thetaT = c.transpose(theta, 0, 2, 1);
    TfRef grid = c.g().op("BatchMatMulV2", c.hint() + "/BatchMatMulV2").input(points).input(thetaT)
        .attr("T", theta.dtype()).attr("adj_x", false).attr("adj_y", false).output(theta.dtype());
    TfRef n = ShapeExport.slice(c, size, 0, 1, false);
    TfRef shape = TfMath.concat(c, 0, n, spatialShape, c.g().int64s(c.hint() + "/components", spatial));
    c.bind(0, c.reshape(grid, shape));
  }

  /** 2 or 3 spatial axes, from theta's shape ({@code [N, 2, 3]} or {@code [N, 3, 4]}) or size's length. */
  private static int spatialRank(ExportContext c) throws OpExportException {
    long[] size = c.dims(1).orElse(new long[0]);
    if (size.length == 1 && (size[0] == 4 || size[0] == 5)) {
      return (int) size[0] - 2;
    }
    long[] theta = c.dims(0).orElse(new long[0]);
    if (theta.length == 3 && (theta[1] == 2 || theta[1] == 3)) {
      return (int) theta[1];
    }
    throw new OpExportException("the number of spatial axes (2 or 3) is not known from theta's or size's shape");
  }

  /**
   * The {@code d} normalised positions along one axis of size {@code d} (an int64 scalar): pixel
   * centres {@code (2i + 1) / d - 1}, or with aligned corners {@code -1 + 2i / (d - 1)} (just -1
   * when {@code d} is 1, which DivNoNan gives).
   */
  private static TfRef coordinates(ExportContext c, TfRef d, DataType dtype, boolean alignCorners) {
    TfRef i = c.cast(TfMath.iota(c, d), dtype);
    TfRef size = c.cast(d, dtype);
    TfRef two = TfMath.scalar(c, dtype, 2);
    TfRef minusOne = TfMath.scalar(c, dtype, -1);
    if (alignCorners) {
      TfRef step = c.op("DivNoNan", two, c.op("Sub", size, TfMath.scalar(c, dtype, 1)));
      return c.op("AddV2", minusOne, c.op("Mul", i, step));
    }
    TfRef centre = c.op("AddV2", c.op("Mul", two, i), TfMath.scalar(c, dtype, 1));
    return c.op("AddV2", c.op("RealDiv", centre, size), minusOne);
  }

  private static TfRef broadcast(ExportContext c, TfRef x, TfRef shape) {
    return c.g().op("BroadcastTo", c.hint() + "/BroadcastTo").input(x).input(shape).attr("T", x.dtype())
        .attr("Tidx", DataType.DT_INT64).output(x.dtype());
  }
}
