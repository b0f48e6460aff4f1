package dev.modelbridge.tensorflow.ops;

import dev.modelbridge.ir.ElementType;
import dev.modelbridge.tensorflow.convert.NodeContext;
import dev.modelbridge.tensorflow.convert.OpConversionException;
import dev.modelbridge.tensorflow.convert.OpRegistry;
import java.util.List;

/**
 * Non-maximum suppression: TensorFlow's single-class form over {@code [N, 4]} boxes and
 * {@code [N]} scores as ONNX NonMaxSuppression over a batch of one and one class; the selected
 * box indices are the third column of ONNX's {@code [M, 3]} result. With
 * {@code pad_to_max_output_size} the results are padded with zeros to {@code max_output_size}.
 */
public final class DetectionOps implements OpRegistry.Family {

  @Override
  public void register(OpRegistry.Builder t) {
    t.add("NonMaxSuppressionV3", ctx -> ctx.bind(0, selected(ctx)));
    t.add("NonMaxSuppressionV4", ctx -> {
      String indices = selected(ctx);
      ctx.bind(0, padded(ctx, indices));
      ctx.produce(1, "Cast", List.of(Ops.i("to", ElementType.INT32.code())), ctx.emit("Size", List.of(), indices));
    });
    // V5 adds Soft-NMS (a score decay instead of removal), which ONNX lacks: only sigma 0 (hard NMS) converts.
    t.add("NonMaxSuppressionV5", ctx -> {
      double sigma = ctx.constant(5).filter(c -> c.elementType() == ElementType.FLOAT && c.elementCount() == 1)
          .map(c -> (double) c.data().bytes().getFloat(0))
          .orElseThrow(() -> new OpConversionException("soft_nms_sigma must be a float constant"));
      if (sigma != 0) {
        throw new OpConversionException("Soft-NMS (soft_nms_sigma " + sigma + ") is not supported; only 0");
      }
      String indices = selected(ctx);
      ctx.bind(0, padded(ctx, indices));
      ctx.bind(1, padded(ctx, ctx.emit("Gather", List.of(Ops.i("axis", 0)), ctx.input(1), indices)));
      ctx.produce(2, "Cast", List.of(Ops.i("to", ElementType.INT32.code())), ctx.emit("Size", List.of(), indices));
    });
  }

  private static String selected(NodeContext ctx) throws OpConversionException {
    String boxes = Ops.unsqueeze(ctx, ctx.input(0), 0);
    String scores = Ops.unsqueeze(ctx, ctx.input(1), 0, 1);
    String max = ctx.emit("Reshape", List.of(), ctx.int64Input(2), ctx.int64s(1));
    String iou = ctx.emit("Reshape", List.of(), ctx.input(3), ctx.int64s(1));
    String score = ctx.emit("Reshape", List.of(), ctx.input(4), ctx.int64s(1));
    String picked = ctx.emit("NonMaxSuppression", List.of(Ops.i("center_point_box", 0)), boxes, scores, max, iou, score);
    String column = ctx.emit("Gather", List.of(Ops.i("axis", 1)), picked, ctx.scalar(ElementType.INT64, 2));
    return ctx.emit("Cast", List.of(Ops.i("to", ElementType.INT32.code())), column);
  }

  /** {@code v} padded with zeros to {@code max_output_size} when the node asks for it. */
  private static String padded(NodeContext ctx, String v) throws OpConversionException {
    if (!ctx.node().attrBool("pad_to_max_output_size", false)) {
      return v;
    }
    String max = ctx.emit("Reshape", List.of(), ctx.int64Input(2), ctx.int64s(1));
    String missing = ctx.emit("Sub", List.of(), max, ctx.emit("Shape", List.of(), v));
    return ctx.emit("Pad", List.of(), v, ctx.emit("Concat", List.of(Ops.i("axis", 0)), ctx.int64s(0), missing));
  }
}
