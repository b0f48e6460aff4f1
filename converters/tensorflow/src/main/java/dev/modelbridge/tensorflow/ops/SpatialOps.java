package dev.modelbridge.tensorflow.ops;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.tensorflow.convert.NodeContext;
import dev.modelbridge.tensorflow.convert.OpConversionException;
import dev.modelbridge.tensorflow.convert.OpHandler;
import dev.modelbridge.tensorflow.convert.OpRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * 3-D convolution and pooling, transposed convolution, pooling with tensor windows, depth/space
 * rearrangement, local response normalisation and image resizing. Channels-last nodes are wrapped
 * in Transposes to and from ONNX's channels-first layout, as {@link NnOps} does.
 */
public final class SpatialOps implements OpRegistry.Family {

  @Override
  public void register(OpRegistry.Builder t) {
    t.add("Conv3D", ctx -> {
      boolean last = Ops.channelsLast(ctx);
      List<Attribute> attrs = new ArrayList<>();
      attrs.add(Ops.autoPad(ctx));
      attrs.add(Ops.ints("strides", spatial(ctx.node().attrInts("strides"), 3, last)));
      attrs.add(Ops.ints("dilations", spatial(ctx.node().attrInts("dilations"), 3, last)));
      String w = Ops.transpose(ctx, ctx.input(1), 4, 3, 0, 1, 2); // DHWIO -> OIDHW
      finish(ctx, ctx.emit("Conv", attrs, toFirst(ctx, ctx.input(0), 5, last), w), 5, last);
    });
    t.add("MaxPool3D", pool("MaxPool", 3));
    t.add("AvgPool3D", pool("AveragePool", 3));
    t.add("MaxPoolV2", ctx -> {
      boolean last = Ops.channelsLast(ctx);
      List<Attribute> attrs = List.of(Ops.autoPad(ctx),
          Ops.ints("kernel_shape", spatial(ctx.constantInts(1), 2, last)),
          Ops.ints("strides", spatial(ctx.constantInts(2), 2, last)));
      finish(ctx, ctx.emit("MaxPool", attrs, toFirst(ctx, ctx.input(0), 4, last)), 4, last);
    });
    t.add("Conv2DBackpropInput", SpatialOps::transposedConv);
    t.add("DepthToSpace", rearrange("DepthToSpace", List.of(Attribute.of("mode", "DCR"))));
    t.add("SpaceToDepth", rearrange("SpaceToDepth", List.of()));
    t.add("LRN", ctx -> {
      long radius = ctx.node().attrInt("depth_radius", 5);
      long size = 2 * radius + 1;
      // ONNX divides alpha by the window size; TensorFlow does not.
      List<Attribute> attrs = List.of(Ops.i("size", size),
          Attribute.of("alpha", ctx.node().attrFloat("alpha", 1f) * size),
          Attribute.of("beta", ctx.node().attrFloat("beta", 0.5f)), Attribute.of("bias", ctx.node().attrFloat("bias", 1f)));
      finish(ctx, ctx.emit("LRN", attrs, toFirst(ctx, ctx.input(0), 4, true)), 4, true);
    });
    t.add("ResizeBilinear", resize("linear"));
    t.add("ResizeNearestNeighbor", resize("nearest"));
  }

  /** Conv2DBackpropInput(input_sizes, filter, out_backprop) as ONNX ConvTranspose. */
  private static void transposedConv(NodeContext ctx) throws OpConversionException {
    boolean last = Ops.channelsLast(ctx);
    List<Attribute> attrs = new ArrayList<>();
    attrs.add(Ops.autoPad(ctx));
    attrs.add(Ops.ints("strides", spatial(ctx.node().attrInts("strides"), 2, last)));
    attrs.add(Ops.ints("dilations", spatial(ctx.node().attrInts("dilations"), 2, last)));
    if (ctx.constant(0).isPresent()) {
      long[] sizes = ctx.constantInts(0);
      attrs.add(Ops.ints("output_shape", last ? new long[] {sizes[1], sizes[2]} : new long[] {sizes[2], sizes[3]}));
    }
    // The filter is [h, w, out_channels, in_channels] of the transposed convolution: ONNX wants [in, out, h, w].
    String w = Ops.transpose(ctx, ctx.input(1), 3, 2, 0, 1);
    finish(ctx, ctx.emit("ConvTranspose", attrs, toFirst(ctx, ctx.input(2), 4, last), w), 4, last);
  }

  private static OpHandler pool(String onnxOp, int dims) {
    return ctx -> {
      boolean last = Ops.channelsLast(ctx);
      List<Attribute> attrs = List.of(Ops.autoPad(ctx),
          Ops.ints("kernel_shape", spatial(ctx.node().attrInts("ksize"), dims, last)),
          Ops.ints("strides", spatial(ctx.node().attrInts("strides"), dims, last)));
      finish(ctx, ctx.emit(onnxOp, attrs, toFirst(ctx, ctx.input(0), dims + 2, last)), dims + 2, last);
    };
  }

  private static OpHandler rearrange(String onnxOp, List<Attribute> extra) {
    return ctx -> {
      boolean last = Ops.channelsLast(ctx);
      List<Attribute> attrs = new ArrayList<>(extra);
      attrs.add(Ops.i("blocksize", ctx.node().attrInt("block_size", 2)));
      finish(ctx, ctx.emit(onnxOp, attrs, toFirst(ctx, ctx.input(0), 4, last)), 4, last);
    };
  }

  /**
   * TensorFlow's image resize (NHWC images, a 2-element size) as ONNX Resize with the sampling
   * grid TensorFlow uses: align_corners, half-pixel centres, or its legacy asymmetric default.
   */
  private static OpHandler resize(String mode) {
    return ctx -> {
      boolean align = ctx.node().attrBool("align_corners", false);
      boolean half = ctx.node().attrBool("half_pixel_centers", false);
      String coords = align ? "align_corners" : half ? "half_pixel" : "asymmetric";
      List<Attribute> attrs = new ArrayList<>(List.of(Attribute.of("mode", mode),
          Attribute.of("coordinate_transformation_mode", coords)));
      if (mode.equals("nearest")) {
        attrs.add(Attribute.of("nearest_mode", align || half ? "round_prefer_ceil" : "floor"));
      }
      String x = toFirst(ctx, ctx.input(0), 4, true);
      String nc = ctx.emit("Slice", List.of(), ctx.emit("Shape", List.of(), x), ctx.int64s(0), ctx.int64s(2));
      String hw = ctx.emit("Cast", List.of(Ops.i("to", ElementType.INT64.code())), ctx.input(1));
      String sizes = ctx.emit("Concat", List.of(Ops.i("axis", 0)), nc, hw);
      finish(ctx, ctx.emit("Resize", attrs, x, "", "", sizes), 4, true);
    };
  }

  /** The {@code n} spatial values of an (n+2)-element attribute in the node's layout; all 1 when absent. */
  static long[] spatial(long[] v, int n, boolean channelsLast) throws OpConversionException {
    long[] out = new long[n];
    if (v.length == 0) {
      java.util.Arrays.fill(out, 1);
      return out;
    }
    if (v.length != n + 2) {
      throw new OpConversionException("a window attribute has " + v.length + " values; " + (n + 2) + " are expected");
    }
    System.arraycopy(v, channelsLast ? 1 : 2, out, 0, n);
    return out;
  }

  /** {@code x} of rank {@code rank} transposed to channels-first when it is channels-last. */
  static String toFirst(NodeContext ctx, String x, int rank, boolean channelsLast) {
    if (!channelsLast) {
      return x;
    }
    long[] perm = new long[rank];
    perm[1] = rank - 1;
    for (int i = 2; i < rank; i++) {
      perm[i] = i - 1;
    }
    return Ops.transpose(ctx, x, perm);
  }

  /** Binds output 0 to the channels-first {@code y}, transposed back when the node is channels-last. */
  static void finish(NodeContext ctx, String y, int rank, boolean channelsLast) {
    if (!channelsLast) {
      ctx.bind(0, y);
      return;
    }
    long[] perm = new long[rank];
    for (int i = 1; i < rank - 1; i++) {
      perm[i] = i + 1;
    }
    perm[rank - 1] = 1;
    ctx.produce(0, "Transpose", List.of(Ops.ints("perm", perm)), y);
  }
}
