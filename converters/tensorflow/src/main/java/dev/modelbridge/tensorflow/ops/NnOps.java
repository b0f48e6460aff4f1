package dev.modelbridge.tensorflow.ops;

import static dev.modelbridge.tensorflow.ops.Ops.NCHW_TO_NHWC;
import static dev.modelbridge.tensorflow.ops.Ops.NHWC_TO_NCHW;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.tensorflow.convert.NodeContext;
import dev.modelbridge.tensorflow.convert.OpConversionException;
import dev.modelbridge.tensorflow.convert.OpHandler;
import dev.modelbridge.tensorflow.convert.OpRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * 2-D convolution, pooling and batch normalisation. ONNX computes these in NCHW, so an NHWC node
 * becomes Transpose, the NCHW op, Transpose back; a later layout pass removes the pairs. Filters
 * are transposed by a node too (HWIO to OIHW), so that weights stay views of the checkpoint.
 */
public final class NnOps implements OpRegistry.Family {

  @Override
  public void register(OpRegistry.Builder t) {
    t.add("Conv2D", ctx -> conv(ctx, false));
    t.add("DepthwiseConv2dNative", ctx -> conv(ctx, true));
    t.add("MaxPool", pool("MaxPool"));
    t.add("AvgPool", pool("AveragePool"));
    t.add(List.of("FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3"), ctx -> {
      if (ctx.node().attrBool("is_training", true)) {
        throw new OpConversionException("is_training=true (batch statistics) is not supported; save the model for inference");
      }
      boolean last = Ops.channelsLast(ctx);
      String x = last ? Ops.transpose(ctx, ctx.input(0), NHWC_TO_NCHW) : ctx.input(0);
      List<Attribute> attrs = List.of(Attribute.of("epsilon", ctx.node().attrFloat("epsilon", 1e-4f)));
      String y = ctx.emit("BatchNormalization", attrs, x, ctx.input(1), ctx.input(2), ctx.input(3), ctx.input(4));
      finish(ctx, y, last);
    });
  }

  private static void conv(NodeContext ctx, boolean depthwise) throws OpConversionException {
    boolean last = Ops.channelsLast(ctx);
    List<Attribute> attrs = new ArrayList<>();
    attrs.add(Ops.autoPad(ctx));
    attrs.add(Ops.ints("strides", Ops.spatial(ctx.node().attrInts("strides"), last, "strides")));
    attrs.add(Ops.ints("dilations", Ops.spatial(ctx.node().attrInts("dilations"), last, "dilations")));
    String x = last ? Ops.transpose(ctx, ctx.input(0), NHWC_TO_NCHW) : ctx.input(0);
    String w;
    if (depthwise) {
      // [kh, kw, C, M] -> [C*M, 1, kh, kw], group C; needs the filter's dims.
      long[] dims = ctx.inputDims(1).orElseThrow(() ->
          new OpConversionException("a depthwise filter must be of statically known shape"));
      if (dims.length != 4) {
        throw new OpConversionException("a depthwise filter has rank 4, not " + dims.length);
      }
      String hw = Ops.transpose(ctx, ctx.input(1), 2, 3, 0, 1);
      w = ctx.emit("Reshape", List.of(), hw, ctx.int64s(dims[2] * dims[3], 1, dims[0], dims[1]));
      attrs.add(Ops.i("group", dims[2]));
    } else {
      w = Ops.transpose(ctx, ctx.input(1), 3, 2, 0, 1);
    }
    finish(ctx, ctx.emit("Conv", attrs, x, w), last);
  }

  private static OpHandler pool(String onnxOp) {
    return ctx -> {
      boolean last = Ops.channelsLast(ctx);
      List<Attribute> attrs = new ArrayList<>();
      attrs.add(Ops.autoPad(ctx));
      attrs.add(Ops.ints("kernel_shape", Ops.spatial(ctx.node().attrInts("ksize"), last, "ksize")));
      attrs.add(Ops.ints("strides", Ops.spatial(ctx.node().attrInts("strides"), last, "strides")));
      String x = last ? Ops.transpose(ctx, ctx.input(0), NHWC_TO_NCHW) : ctx.input(0);
      finish(ctx, ctx.emit(onnxOp, attrs, x), last);
    };
  }

  /** Binds output 0 to {@code nchw}, transposed back to NHWC when the node works in NHWC. */
  private static void finish(NodeContext ctx, String nchw, boolean channelsLast) {
    if (channelsLast) {
      ctx.produce(0, "Transpose", List.of(Ops.ints("perm", NCHW_TO_NHWC)), nchw);
    } else {
      ctx.bind(0, nchw);
    }
  }
}
