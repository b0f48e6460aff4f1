package dev.modelbridge.tensorflow.ops;

import dev.modelbridge.tensorflow.convert.NodeContext;
import dev.modelbridge.tensorflow.convert.OpConversionException;
import java.util.List;

/**
 * MirrorPad in SYMMETRIC mode (the edge value repeated: {@code [a b c]} padded by 2 is
 * {@code [b a a b c c b]}), which ONNX's Pad does not have: on each padded axis, the first and last
 * values reversed by a Slice with step -1, concatenated around the tensor.
 */
final class SymmetricPad {
  private SymmetricPad() {}

  /** {@code paddings} as TensorFlow gives them: {@code [before_0, after_0, before_1, after_1, ...]}. */
  static void convert(NodeContext ctx, long[] paddings) throws OpConversionException {
    String x = ctx.input(0);
    for (int axis = 0; axis < paddings.length / 2; axis++) {
      long before = paddings[2 * axis];
      long after = paddings[2 * axis + 1];
      if (before == 0 && after == 0) {
        continue;
      }
      String[] parts = new String[3];
      int n = 0;
      if (before > 0) { // x[before-1], ..., x[0]
        parts[n++] = reversed(ctx, x, axis, before - 1, Long.MIN_VALUE);
      }
      parts[n++] = x;
      if (after > 0) { // x[-1], ..., x[-after]
        parts[n++] = reversed(ctx, x, axis, -1, -after - 1);
      }
      x = ctx.emit("Concat", List.of(Ops.i("axis", axis)), java.util.Arrays.copyOf(parts, n));
    }
    ctx.bind(0, x);
  }

  private static String reversed(NodeContext ctx, String x, int axis, long start, long end) {
    return ctx.emit("Slice", List.of(), x, ctx.int64s(start), ctx.int64s(end), ctx.int64s(axis), ctx.int64s(-1));
  }
}
