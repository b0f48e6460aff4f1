package dev.modelbridge.tensorflow.ops;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.tensorflow.convert.NodeContext;
import dev.modelbridge.tensorflow.convert.OpConversionException;
import dev.modelbridge.tensorflow.convert.OpHandler;
import java.util.List;

/** Small helpers shared by the handler families. */
final class Ops {
  static final long[] NHWC_TO_NCHW = {0, 3, 1, 2};
  static final long[] NCHW_TO_NHWC = {0, 2, 3, 1};

  private Ops() {}

  /** A handler that maps the node to one ONNX op over the same inputs, with no attributes. */
  static OpHandler same(String onnxOp) {
    return ctx -> {
      String[] in = new String[ctx.inputCount()];
      for (int i = 0; i < in.length; i++) {
        in[i] = ctx.input(i);
      }
      ctx.produce(0, onnxOp, List.of(), in);
    };
  }

  static Attribute i(String name, long value) {
    return Attribute.of(name, value);
  }

  static Attribute ints(String name, long... values) {
    return Attribute.ints(name, values);
  }

  static String transpose(NodeContext ctx, String value, long... perm) {
    return ctx.emit("Transpose", List.of(ints("perm", perm)), value);
  }

  /** Unsqueeze at the given axes, as the opset writes it (an input from 13 on). */
  static String unsqueeze(NodeContext ctx, String value, long... axes) {
    return ctx.emit("Unsqueeze", List.of(), value, ctx.int64s(axes));
  }

  /** The node's {@code data_format} is NHWC (the default) rather than NCHW; others are refused. */
  static boolean channelsLast(NodeContext ctx) throws OpConversionException {
    String f = ctx.node().attrString("data_format", "NHWC");
    return switch (f) {
      case "NHWC", "NWC", "NDHWC" -> true;
      case "NCHW", "NCW", "NCDHW" -> false;
      default -> throw new OpConversionException("data_format " + f + " is not supported");
    };
  }

  /** The two spatial values of an NHWC or NCHW 4-element attribute such as {@code strides}. */
  static long[] spatial(long[] v, boolean channelsLast, String what) throws OpConversionException {
    if (v.length == 0) {
      return new long[] {1, 1};
    }
    if (v.length != 4) {
      throw new OpConversionException(what + " has " + v.length + " values; 4 are expected");
    }
    return channelsLast ? new long[] {v[1], v[2]} : new long[] {v[2], v[3]};
  }

  /**
   * ONNX padding for TensorFlow's padding attribute: auto_pad for SAME and VALID, explicit
   * {@code pads} (begins, then ends, of the spatial axes) for EXPLICIT.
   */
  static Attribute autoPad(NodeContext ctx) throws OpConversionException {
    String p = ctx.node().attrString("padding", "VALID");
    return switch (p) {
      case "SAME" -> Attribute.of("auto_pad", "SAME_UPPER");
      case "VALID" -> Attribute.of("auto_pad", "VALID");
      case "EXPLICIT" -> explicitPads(ctx);
      default -> throw new OpConversionException("padding " + p + " is not supported");
    };
  }

  private static Attribute explicitPads(NodeContext ctx) throws OpConversionException {
    long[] e = ctx.node().attrInts("explicit_paddings");
    int rank = e.length / 2;
    if (rank < 3) {
      throw new OpConversionException("EXPLICIT padding needs explicit_paddings for every axis");
    }
    int first = channelsLast(ctx) ? 1 : 2;
    int n = rank - 2;
    long[] pads = new long[2 * n];
    for (int i = 0; i < n; i++) {
      pads[i] = e[2 * (first + i)];
      pads[n + i] = e[2 * (first + i) + 1];
    }
    return Attribute.ints("pads", pads);
  }
}
