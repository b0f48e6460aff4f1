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
 * Element-wise math that ONNX has no single op for (decomposed), boolean and norm reductions,
 * clipping, cumulative sums and band matrices.
 */
public final class MathExtraOps implements OpRegistry.Family {

  @Override
  public void register(OpRegistry.Builder t) {
    t.add("Expm1", ctx -> ctx.produce(0, "Sub", List.of(), ctx.emit("Exp", List.of(), ctx.input(0)), one(ctx)));
    t.add("Log1p", ctx -> ctx.produce(0, "Log", List.of(), ctx.emit("Add", List.of(), ctx.input(0), one(ctx))));
    t.add("Erfc", ctx -> ctx.produce(0, "Sub", List.of(), one(ctx), ctx.emit("Erf", List.of(), ctx.input(0))));
    t.add("Rint", Ops.same("Round")); // both round half to even
    t.add("IsInf", Ops.same("IsInf"));
    t.add("IsFinite", ctx -> ctx.produce(0, "Not", List.of(), ctx.emit("Or", List.of(),
        ctx.emit("IsInf", List.of(), ctx.input(0)), ctx.emit("IsNaN", List.of(), ctx.input(0)))));
    // TensorFlow's Mod and TruncateMod take the sign of the dividend, as C's fmod does.
    t.add(List.of("Mod", "TruncateMod"), ctx -> ctx.produce(0, "Mod", List.of(Ops.i("fmod", 1)), ctx.input(0), ctx.input(1)));
    t.add("TruncateDiv", ctx -> {
      if (!ElementwiseOps.isIntegral(ctx.elementType(0))) {
        throw new OpConversionException("TruncateDiv is defined for integers only");
      }
      ctx.produce(0, "Div", List.of(), ctx.input(0), ctx.input(1)); // ONNX integer Div truncates
    });
    t.add("DivNoNan", ctx -> zeroWhereZero(ctx, 1, ctx.emit("Div", List.of(), ctx.input(0), ctx.input(1))));
    t.add("Xdivy", ctx -> zeroWhereZero(ctx, 0, ctx.emit("Div", List.of(), ctx.input(0), ctx.input(1))));
    t.add("Xlogy", ctx -> zeroWhereZero(ctx, 0,
        ctx.emit("Mul", List.of(), ctx.input(0), ctx.emit("Log", List.of(), ctx.input(1)))));
    t.add("ClipByValue", ctx -> ctx.produce(0, "Min", List.of(),
        ctx.emit("Max", List.of(), ctx.input(0), ctx.input(1)), ctx.input(2)));
    t.add("L2Loss", ctx -> ctx.produce(0, "Mul", List.of(),
        ctx.emit("ReduceSumSquare", List.of(Ops.i("keepdims", 0)), ctx.input(0)), ctx.scalar(ctx.elementType(0), 0.5)));
    t.add("EuclideanNorm", reduce("ReduceL2", 18));
    // Boolean reductions: min/max over the values as int32 (ONNX reduces no bools).
    t.add("All", bool("ReduceMin"));
    t.add("Any", bool("ReduceMax"));
    t.add("Cumsum", ctx -> ctx.produce(0, "CumSum", List.of(
        Ops.i("exclusive", ctx.node().attrBool("exclusive", false) ? 1 : 0),
        Ops.i("reverse", ctx.node().attrBool("reverse", false) ? 1 : 0)), ctx.input(0), ctx.input(1)));
    t.add("MatrixBandPart", ctx -> {
      // Keep num_lower diagonals below and num_upper above (negative: all) as two Trilu masks.
      long lower = ArrayOps.single(ctx, 1)[0];
      long upper = ArrayOps.single(ctx, 2)[0];
      if (ctx.opset() < 14) {
        throw new OpConversionException("MatrixBandPart needs opset 14 or later (Trilu)");
      }
      String x = ctx.input(0);
      if (lower >= 0) {
        x = ctx.emit("Trilu", List.of(Ops.i("upper", 1)), x, scalarInt64(ctx, -lower));
      }
      if (upper >= 0) {
        x = ctx.emit("Trilu", List.of(Ops.i("upper", 0)), x, scalarInt64(ctx, upper));
      }
      ctx.bind(0, x);
    });
    t.add("BitwiseXor", ctx -> bitwise(ctx, "BitwiseXor"));
    t.add("Invert", ctx -> bitwise(ctx, "BitwiseNot"));
  }

  private static String one(NodeContext ctx) throws OpConversionException {
    return ctx.scalar(ctx.elementType(0), 1);
  }

  private static String scalarInt64(NodeContext ctx, long v) throws OpConversionException {
    return ctx.scalar(ElementType.INT64, v);
  }

  private static void bitwise(NodeContext ctx, String onnxOp) throws OpConversionException {
    if (ctx.opset() < 18) {
      throw new OpConversionException(onnxOp + " needs opset 18 or later");
    }
    String[] in = new String[ctx.inputCount()];
    for (int i = 0; i < in.length; i++) {
      in[i] = ctx.input(i);
    }
    ctx.produce(0, onnxOp, List.of(), in);
  }

  /** Binds output 0 to {@code value}, with 0 where input {@code i} is 0 (TensorFlow's no-NaN ops). */
  private static void zeroWhereZero(NodeContext ctx, int i, String value) throws OpConversionException {
    String zero = ctx.scalar(ctx.elementType(0), 0);
    ctx.produce(0, "Where", List.of(), ctx.emit("Equal", List.of(), ctx.input(i), zero), zero, value);
  }

  /** A reduction over the constant axes of input 1, as an input from {@code axesInputSince} on. */
  static OpHandler reduce(String onnxOp, int axesInputSince) {
    return ctx -> ctx.bind(0, reduced(ctx, onnxOp, axesInputSince, ctx.input(0)));
  }

  private static String reduced(NodeContext ctx, String onnxOp, int axesInputSince, String x) throws OpConversionException {
    long[] axes = ctx.constantInts(1);
    if (axes.length == 0) {
      return x;
    }
    List<Attribute> attrs = new ArrayList<>(List.of(Ops.i("keepdims", ctx.node().attrBool("keep_dims", false) ? 1 : 0)));
    if (ctx.opset() >= axesInputSince) {
      return ctx.emit(onnxOp, attrs, x, ctx.int64s(axes));
    }
    attrs.add(Ops.ints("axes", axes));
    return ctx.emit(onnxOp, attrs, x);
  }

  private static OpHandler bool(String op) {
    return ctx -> {
      String asInt = ctx.emit("Cast", List.of(Ops.i("to", ElementType.INT32.code())), ctx.input(0));
      String r = reduced(ctx, op, 18, asInt);
      ctx.produce(0, "Cast", List.of(Ops.i("to", ElementType.BOOL.code())), r);
    };
  }
}
