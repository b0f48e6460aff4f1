package dev.modelbridge.tensorflow.ops;

import dev.modelbridge.tensorflow.convert.NodeContext;
import dev.modelbridge.tensorflow.convert.OpConversionException;
import dev.modelbridge.tensorflow.convert.OpHandler;
import java.util.ArrayList;
import java.util.List;

/**
 * TensorFlow's StridedSlice with constant begin, end and strides and every mask, as ONNX Slice,
 * a Squeeze of the shrunk axes and an Unsqueeze of the new ones. An ellipsis needs the input's
 * rank, which the graph must record.
 */
final class StridedSlice implements OpHandler {

  @Override
  public void convert(NodeContext ctx) throws OpConversionException {
    long[] begin = ctx.constantInts(1);
    long[] end = ctx.constantInts(2);
    long[] strides = ctx.constantInts(3);
    long beginMask = ctx.node().attrInt("begin_mask", 0);
    long endMask = ctx.node().attrInt("end_mask", 0);
    long shrink = ctx.node().attrInt("shrink_axis_mask", 0);
    long ellipsis = ctx.node().attrInt("ellipsis_mask", 0);
    long newAxis = ctx.node().attrInt("new_axis_mask", 0);
    int n = begin.length;
    int ellipsisSpan = 0;
    if (ellipsis != 0) {
      int rank = ctx.inputRank(0);
      if (rank < 0) {
        throw new OpConversionException("an ellipsis_mask needs the input's rank, which the graph does not record");
      }
      int consuming = 0;
      for (int i = 0; i < n; i++) {
        if ((ellipsis >> i & 1) == 0 && (newAxis >> i & 1) == 0) {
          consuming++;
        }
      }
      ellipsisSpan = rank - consuming;
    }
    List<long[]> slices = new ArrayList<>(); // {axis, start, end, step}
    List<Long> squeeze = new ArrayList<>();
    List<Long> unsqueeze = new ArrayList<>();
    long axis = 0;
    long outAxis = 0;
    for (int i = 0; i < n; i++) {
      if ((ellipsis >> i & 1) != 0) {
        axis += ellipsisSpan;
        outAxis += ellipsisSpan;
        ellipsis = 0; // only the first ellipsis counts
        continue;
      }
      if ((newAxis >> i & 1) != 0) {
        unsqueeze.add(outAxis++);
        continue;
      }
      long stride = strides[i];
      if ((shrink >> i & 1) != 0) {
        slices.add(new long[] {axis, begin[i], begin[i] == -1 ? Long.MAX_VALUE : begin[i] + 1, 1});
        squeeze.add(axis++);
        continue;
      }
      long s = (beginMask >> i & 1) != 0 ? (stride > 0 ? 0 : Long.MAX_VALUE) : begin[i];
      long e = (endMask >> i & 1) != 0 ? (stride > 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : end[i];
      slices.add(new long[] {axis++, s, e, stride});
      outAxis++;
    }
    String y = ctx.input(0);
    if (!slices.isEmpty()) {
      y = ctx.emit("Slice", List.of(), y, ctx.int64s(column(slices, 1)), ctx.int64s(column(slices, 2)),
          ctx.int64s(column(slices, 0)), ctx.int64s(column(slices, 3)));
    }
    if (!squeeze.isEmpty()) {
      y = ctx.emit("Squeeze", List.of(), y, ctx.int64s(longs(squeeze)));
    }
    if (!unsqueeze.isEmpty()) {
      y = ctx.emit("Unsqueeze", List.of(), y, ctx.int64s(longs(unsqueeze)));
    }
    if (y.equals(ctx.input(0))) {
      y = ctx.emit("Identity", List.of(), y);
    }
    ctx.bind(0, y);
  }

  private static long[] column(List<long[]> rows, int c) {
    return rows.stream().mapToLong(r -> r[c]).toArray();
  }

  private static long[] longs(List<Long> v) {
    return v.stream().mapToLong(Long::longValue).toArray();
  }
}
