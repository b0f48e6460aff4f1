package dev.modelbridge.tensorflow.ops;

import dev.modelbridge.tensorflow.convert.NodeContext;
import dev.modelbridge.tensorflow.convert.OpConversionException;
import dev.modelbridge.tensorflow.convert.OpHandler;
import java.util.ArrayList;
import java.util.List;

/**
 * TensorFlow's StridedSlice with constant begin, end and strides, as ONNX Slice followed by a
 * Squeeze of the shrunk axes. Ellipsis and new-axis masks are not supported yet.
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
    if (ctx.node().attrInt("ellipsis_mask", 0) != 0 || ctx.node().attrInt("new_axis_mask", 0) != 0) {
      throw new OpConversionException("ellipsis_mask and new_axis_mask are not supported yet");
    }
    int n = begin.length;
    long[] starts = new long[n];
    long[] ends = new long[n];
    long[] axes = new long[n];
    List<Long> squeeze = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long stride = strides[i];
      axes[i] = i;
      if ((shrink >> i & 1) != 0) {
        starts[i] = begin[i];
        ends[i] = begin[i] == -1 ? Long.MAX_VALUE : begin[i] + 1;
        strides[i] = 1;
        squeeze.add((long) i);
        continue;
      }
      starts[i] = (beginMask >> i & 1) != 0 ? (stride > 0 ? 0 : Long.MAX_VALUE) : begin[i];
      ends[i] = (endMask >> i & 1) != 0 ? (stride > 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : end[i];
    }
    String sliced = ctx.emit("Slice", List.of(), ctx.input(0), ctx.int64s(starts), ctx.int64s(ends),
        ctx.int64s(axes), ctx.int64s(strides));
    if (squeeze.isEmpty()) {
      ctx.bind(0, sliced);
    } else {
      ctx.produce(0, "Squeeze", List.of(), sliced, ctx.int64s(squeeze.stream().mapToLong(Long::longValue).toArray()));
    }
  }
}
