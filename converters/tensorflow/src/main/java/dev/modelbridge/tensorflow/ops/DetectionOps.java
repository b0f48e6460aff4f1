package dev.modelbridge.tensorflow.ops;

import dev.modelbridge.ir.ElementType;
import dev.modelbridge.tensorflow.convert.NodeContext;
import dev.modelbridge.tensorflow.convert.OpConversionException;
import dev.modelbridge.tensorflow.convert.OpRegistry;
import java.util.List;

/**
 * Non-maximum suppression: TensorFlow's single-class form over {@code [N, 4]} boxes and
 * {@code [N]} scores as ONNX NonMaxSuppression over a batch of one and one class; the selected
 * box indices are the third column of ONNX's {@code [M, 3]} result.
 */
public final class DetectionOps implements OpRegistry.Family {

  @Override
  public void register(OpRegistry.Builder t) {
    t.add("NonMaxSuppressionV3", ctx -> ctx.bind(0, selected(ctx)));
    t.add("NonMaxSuppressionV4", ctx -> {
      if (ctx.node().attrBool("pad_to_max_output_size", false)) {
        throw new OpConversionException("pad_to_max_output_size=true is not supported");
      }
      String indices = selected(ctx);
      ctx.bind(0, indices);
      ctx.produce(1, "Cast", List.of(Ops.i("to", ElementType.INT32.code())), ctx.emit("Size", List.of(), indices));
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
}
