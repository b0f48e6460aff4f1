package dev.modelbridge.tensorflow.export;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.proto.DataType;

/**
 * CenterCropPad with the target shape known only at run time: every axis is first padded with
 * zeros by {@code max(target - in, 0)} (the smaller half at the beginning), then sliced to the
 * target from {@code max(in - target, 0) / 2}, so one Pad and one Slice serve crop and pad alike.
 */
final class CenterCropPadExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("CenterCropPad", 18, CenterCropPadExport::centerCropPad);
  }

  private static void centerCropPad(ExportContext c) throws OpExportException {
    int rank = c.requireRank(0);
    long[] axes = c.attrInts("axes").orElse(StatsNormExport.range(0, rank));
    long[] position = new long[rank];
    java.util.Arrays.fill(position, -1);
    for (int k = 0; k < axes.length; k++) {
      position[(int) c.axis(axes[k], rank)] = k;
    }
    TfRef x = c.input(0);
    TfRef shape = c.shapeOf(x);
    TfRef wanted = c.cast(c.input(1), DataType.DT_INT64);
    List<TfRef> target = new ArrayList<>();
    for (int j = 0; j < rank; j++) {
      target.add(position[j] < 0 ? ShapeExport.slice(c, shape, j, j + 1, false)
          : ShapeExport.slice(c, wanted, position[j], position[j] + 1, false));
    }
    TfRef size = NnOps.concat(c, target, 0);
    TfRef diff = c.op("Sub", shape, size);
    TfRef zero = c.scalarLike(diff, 0);
    TfRef two = c.scalarLike(diff, 2);
    TfRef padTotal = c.op("Maximum", c.op("Neg", diff), zero);
    TfRef padBegin = c.op("FloorDiv", padTotal, two);
    TfRef padEnd = c.op("Sub", padTotal, padBegin);
    TfRef paddings = c.g().op("Pack", c.hint() + "/paddings").input(padBegin).input(padEnd).attr("N", 2L)
        .attr("T", DataType.DT_INT64).attr("axis", 1L).output(DataType.DT_INT64);
    TfRef padded = c.g().op("PadV2", c.hint() + "/PadV2").input(x).input(paddings).input(c.scalarLike(x, 0))
        .attr("T", x.dtype()).attr("Tpaddings", DataType.DT_INT64).output(x.dtype());
    TfRef cropBegin = c.op("FloorDiv", c.op("Maximum", diff, zero), two);
    c.bind(0, c.g().op("Slice", c.hint() + "/Slice").input(padded).input(cropBegin).input(size).attr("T", x.dtype())
        .attr("Index", DataType.DT_INT64).output(x.dtype()));
  }
}
