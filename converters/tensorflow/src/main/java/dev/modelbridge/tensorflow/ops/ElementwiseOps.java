package dev.modelbridge.tensorflow.ops;

import static dev.modelbridge.tensorflow.ops.Ops.same;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.tensorflow.convert.OpConversionException;
import dev.modelbridge.tensorflow.convert.OpRegistry;
import dev.modelbridge.tensorflow.convert.TfTensors;
import java.util.List;
import java.util.Map;

/** Element-wise math, comparisons, logic, Select and Cast. */
public final class ElementwiseOps implements OpRegistry.Family {

  /** TensorFlow ops that are one ONNX op of the same inputs and meaning. */
  private static final Map<String, String> SAME = Map.ofEntries(
      Map.entry("Add", "Add"), Map.entry("AddV2", "Add"), Map.entry("Sub", "Sub"), Map.entry("Mul", "Mul"),
      Map.entry("RealDiv", "Div"), Map.entry("Div", "Div"), Map.entry("Maximum", "Max"), Map.entry("Minimum", "Min"),
      Map.entry("Pow", "Pow"), Map.entry("Greater", "Greater"), Map.entry("Less", "Less"), Map.entry("Equal", "Equal"),
      Map.entry("GreaterEqual", "GreaterOrEqual"), Map.entry("LessEqual", "LessOrEqual"),
      Map.entry("LogicalAnd", "And"), Map.entry("LogicalOr", "Or"), Map.entry("LogicalNot", "Not"),
      Map.entry("Relu", "Relu"), Map.entry("Sigmoid", "Sigmoid"), Map.entry("Tanh", "Tanh"), Map.entry("Exp", "Exp"),
      Map.entry("Log", "Log"), Map.entry("Neg", "Neg"), Map.entry("Sqrt", "Sqrt"), Map.entry("Abs", "Abs"),
      Map.entry("Ceil", "Ceil"), Map.entry("Floor", "Floor"), Map.entry("Round", "Round"), Map.entry("Sin", "Sin"),
      Map.entry("Cos", "Cos"), Map.entry("Tan", "Tan"), Map.entry("Asin", "Asin"), Map.entry("Acos", "Acos"),
      Map.entry("Atan", "Atan"), Map.entry("Sinh", "Sinh"), Map.entry("Cosh", "Cosh"), Map.entry("Asinh", "Asinh"),
      Map.entry("Acosh", "Acosh"), Map.entry("Atanh", "Atanh"), Map.entry("Erf", "Erf"), Map.entry("Sign", "Sign"),
      Map.entry("Reciprocal", "Reciprocal"), Map.entry("Inv", "Reciprocal"), Map.entry("Softplus", "Softplus"),
      Map.entry("Softsign", "Softsign"), Map.entry("Elu", "Elu"), Map.entry("Selu", "Selu"), Map.entry("IsNan", "IsNaN"),
      Map.entry("SelectV2", "Where"), Map.entry("BitwiseAnd", "BitwiseAnd"), Map.entry("BitwiseOr", "BitwiseOr"));

  @Override
  public void register(OpRegistry.Builder t) {
    SAME.forEach((tf, onnx) -> t.add(tf, same(onnx)));
    // TF1 Select with a condition of the same shape as x; a rank-1 condition selecting rows differs.
    t.add("Select", ctx -> {
      int rc = ctx.inputRank(0);
      int rx = ctx.inputRank(1);
      if (rc == 1 && rx > 1) {
        String c = Ops.unsqueeze(ctx, ctx.input(0), java.util.stream.LongStream.range(1, rx).toArray());
        ctx.produce(0, "Where", List.of(), c, ctx.input(1), ctx.input(2));
      } else {
        ctx.produce(0, "Where", List.of(), ctx.input(0), ctx.input(1), ctx.input(2));
      }
    });
    t.add("NotEqual", ctx -> ctx.produce(0, "Not", List.of(), ctx.emit("Equal", List.of(), ctx.input(0), ctx.input(1))));
    t.add("Square", ctx -> ctx.produce(0, "Mul", List.of(), ctx.input(0), ctx.input(0)));
    t.add("Rsqrt", ctx -> ctx.produce(0, "Reciprocal", List.of(), ctx.emit("Sqrt", List.of(), ctx.input(0))));
    t.add("SquaredDifference", ctx -> {
      String d = ctx.emit("Sub", List.of(), ctx.input(0), ctx.input(1));
      ctx.produce(0, "Mul", List.of(), d, d);
    });
    t.add("Relu6", ctx -> {
      ElementType e = ctx.elementType(0);
      ctx.produce(0, "Clip", List.of(), ctx.input(0), ctx.scalar(e, 0), ctx.scalar(e, 6));
    });
    t.add("LeakyRelu", ctx -> ctx.produce(0, "LeakyRelu",
        List.of(Attribute.of("alpha", ctx.node().attrFloat("alpha", 0.2f))), ctx.input(0)));
    t.add("FloorDiv", ctx -> {
      String q = ctx.emit("Div", List.of(), ctx.input(0), ctx.input(1));
      ElementType e = ctx.elementType(0);
      if (!isIntegral(e)) {
        ctx.produce(0, "Floor", List.of(), q);
        return;
      }
      // ONNX integer Div truncates: subtract one where the remainder is not 0 and the signs differ.
      String zero = ctx.scalar(e, 0);
      String rest = ctx.emit("Sub", List.of(), ctx.input(0), ctx.emit("Mul", List.of(), q, ctx.input(1)));
      String inexact = ctx.emit("Not", List.of(), ctx.emit("Equal", List.of(), rest, zero));
      String signs = ctx.emit("Xor", List.of(), ctx.emit("Less", List.of(), ctx.input(0), zero),
          ctx.emit("Less", List.of(), ctx.input(1), zero));
      String fix = ctx.emit("Cast", List.of(Ops.i("to", e.code())), ctx.emit("And", List.of(), inexact, signs));
      ctx.produce(0, "Sub", List.of(), q, fix);
    });
    t.add("FloorMod", ctx -> {
      if (isIntegral(ctx.elementType(0))) {
        ctx.produce(0, "Mod", List.of(Ops.i("fmod", 0)), ctx.input(0), ctx.input(1));
      } else {
        String q = ctx.emit("Floor", List.of(), ctx.emit("Div", List.of(), ctx.input(0), ctx.input(1)));
        ctx.produce(0, "Sub", List.of(), ctx.input(0), ctx.emit("Mul", List.of(), q, ctx.input(1)));
      }
    });
    t.add("Cast", ctx -> {
      ElementType to;
      try {
        to = TfTensors.elementType(ctx.node().attrType("DstT")
            .orElseThrow(() -> new OpConversionException("has no DstT")));
      } catch (OpConversionException e) {
        throw e;
      } catch (dev.modelbridge.ModelException e) {
        throw new OpConversionException(e.detail());
      }
      ctx.produce(0, "Cast", List.of(Ops.i("to", to.code())), ctx.input(0));
    });
  }

  static boolean isIntegral(ElementType e) {
    return switch (e) {
      case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64 -> true;
      default -> false;
    };
  }
}
