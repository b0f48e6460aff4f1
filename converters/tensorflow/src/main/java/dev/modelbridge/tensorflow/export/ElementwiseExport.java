package dev.modelbridge.tensorflow.export;

import java.util.List;
import java.util.Map;
import org.tensorflow.proto.DataType;

/** Element-wise ops: unary math and activations, broadcasting binary ops, comparisons, Clip, Where. */
final class ElementwiseExport implements ExportRegistry.Family {

  /** ONNX unary ops whose TensorFlow op has the same semantics and a {@code T} attribute. */
  private static final Map<String, String> UNARY = Map.ofEntries(
      Map.entry("Neg", "Neg"), Map.entry("Abs", "Abs"), Map.entry("Sqrt", "Sqrt"), Map.entry("Exp", "Exp"),
      Map.entry("Log", "Log"), Map.entry("Relu", "Relu"), Map.entry("Sigmoid", "Sigmoid"),
      Map.entry("Tanh", "Tanh"), Map.entry("Erf", "Erf"), Map.entry("Floor", "Floor"), Map.entry("Ceil", "Ceil"),
      Map.entry("Reciprocal", "Reciprocal"), Map.entry("Sin", "Sin"), Map.entry("Cos", "Cos"),
      Map.entry("Tan", "Tan"), Map.entry("Asin", "Asin"), Map.entry("Acos", "Acos"), Map.entry("Atan", "Atan"),
      Map.entry("Sinh", "Sinh"), Map.entry("Cosh", "Cosh"), Map.entry("Asinh", "Asinh"),
      Map.entry("Acosh", "Acosh"), Map.entry("Atanh", "Atanh"), Map.entry("Sign", "Sign"),
      Map.entry("Softplus", "Softplus"), Map.entry("Softsign", "Softsign"), Map.entry("Round", "Round"));

  /** ONNX binary ops with numpy broadcasting whose TensorFlow op broadcasts the same way. */
  private static final Map<String, String> BINARY = Map.of(
      "Add", "AddV2", "Sub", "Sub", "Mul", "Mul");

  private static final Map<String, String> COMPARE = Map.of(
      "Equal", "Equal", "Greater", "Greater", "Less", "Less",
      "GreaterOrEqual", "GreaterEqual", "LessOrEqual", "LessEqual");

  /** Boolean ops have no {@code T} attribute in TensorFlow. */
  private static final Map<String, String> LOGICAL = Map.of("And", "LogicalAnd", "Or", "LogicalOr");

  @Override
  public void register(ExportRegistry.Builder t) {
    UNARY.forEach((onnx, tf) -> t.add(onnx, 1, c -> c.bind(0, c.op(tf, c.input(0)))));
    BINARY.forEach((onnx, tf) -> t.add(onnx, 1, c -> c.bind(0, c.op(tf, c.input(0), c.input(1)))));
    COMPARE.forEach((onnx, tf) -> t.add(onnx, 1, c -> c.bind(0, c.op(tf, c.input(0), c.input(1)).as(DataType.DT_BOOL))));
    LOGICAL.forEach((onnx, tf) -> t.add(onnx, 1, c -> c.bind(0, untyped(c, tf, c.input(0), c.input(1)))));
    t.add("Not", 1, c -> c.bind(0, untyped(c, "LogicalNot", c.input(0))));
    t.add("Xor", 1, c -> c.bind(0, c.op("NotEqual", c.input(0), c.input(1))));
    t.add("Div", 1, c -> {
      TfRef a = c.input(0);
      c.bind(0, c.op(isFloat(a.dtype()) ? "RealDiv" : "TruncateDiv", a, c.input(1)));
    });
    t.add("Pow", 1, c -> c.bind(0, c.op("Pow", c.input(0), c.cast(c.input(1), c.input(0).dtype()))));
    t.add("Mod", 1, ElementwiseExport::mod);
    t.add("Max", 1, c -> c.bind(0, fold(c, "Maximum")));
    t.add("Min", 1, c -> c.bind(0, fold(c, "Minimum")));
    t.add("Sum", 1, c -> c.bind(0, fold(c, "AddV2")));
    t.add("Mean", 1, c -> {
      TfRef sum = fold(c, "AddV2");
      c.bind(0, c.op("RealDiv", sum, c.scalarLike(sum, c.inputCount())));
    });
    t.add("LeakyRelu", 1, c -> c.bind(0, c.g().op("LeakyRelu", c.hint()).input(c.input(0))
        .attr("T", c.input(0).dtype()).attr("alpha", c.attrFloat("alpha", 0.01f)).output(c.input(0).dtype())));
    t.add("Elu", 1, c -> c.bind(0, elu(c, c.input(0), c.attrFloat("alpha", 1f))));
    t.add("Selu", 1, c -> {
      TfRef x = c.input(0);
      TfRef e = elu(c, x, c.attrFloat("alpha", 1.67326319217681884765625f));
      c.bind(0, c.op("Mul", e, c.scalarLike(x, c.attrFloat("gamma", 1.05070102214813232421875f))));
    });
    t.add("HardSigmoid", 1, c -> {
      TfRef x = c.input(0);
      TfRef lin = c.op("AddV2", c.op("Mul", x, c.scalarLike(x, c.attrFloat("alpha", 0.2f))),
          c.scalarLike(x, c.attrFloat("beta", 0.5f)));
      c.bind(0, c.op("Maximum", c.op("Minimum", lin, c.scalarLike(x, 1)), c.scalarLike(x, 0)));
    });
    t.add("PRelu", 1, c -> {
      TfRef x = c.input(0);
      TfRef neg = c.op("Less", x, c.scalarLike(x, 0)).as(DataType.DT_BOOL);
      c.bind(0, select(c, neg, c.op("Mul", x, c.input(1)), x));
    });
    t.add("Clip", 1, c -> {
      TfRef x = c.input(0);
      TfRef lo = c.op("Maximum", x, c.scalarLike(x, c.attrFloat("min", -Float.MAX_VALUE)));
      c.bind(0, c.op("Minimum", lo, c.scalarLike(x, c.attrFloat("max", Float.MAX_VALUE))));
    });
    t.add("Clip", 11, c -> {
      TfRef y = c.input(0);
      if (c.hasInput(1)) {
        y = c.op("Maximum", y, c.input(1));
      }
      if (c.hasInput(2)) {
        y = c.op("Minimum", y, c.input(2));
      }
      c.bind(0, y);
    });
    t.add("Where", 1, c -> c.bind(0, select(c, c.input(0), c.input(1), c.input(2))));
  }

  /**
   * fmod=0 is the remainder with the divisor's sign (FloorMod), fmod=1 the one with the dividend's
   * (TruncateMod). TruncateMod has CPU kernels for int32, int64, float and double only, so other
   * types are computed in one of those and cast back.
   */
  private static void mod(ExportContext c) throws OpExportException {
    TfRef a = c.input(0);
    boolean fmod = c.attrInt("fmod", 0) == 1;
    DataType t = a.dtype();
    DataType work = t;
    if (t == DataType.DT_HALF || t == DataType.DT_BFLOAT16) {
      work = DataType.DT_FLOAT;
    } else if (fmod && t != DataType.DT_INT32 && t != DataType.DT_INT64 && !isFloat(t)) {
      work = DataType.DT_INT64;
    }
    TfRef y = c.op(fmod ? "TruncateMod" : "FloorMod", c.cast(a, work), c.cast(c.input(1), work));
    c.bind(0, c.cast(y, t));
  }

  static boolean isFloat(DataType t) {
    return t == DataType.DT_FLOAT || t == DataType.DT_DOUBLE || t == DataType.DT_HALF || t == DataType.DT_BFLOAT16;
  }

  private static TfRef untyped(ExportContext c, String op, TfRef... inputs) {
    TfGraph.Node n = c.g().op(op, c.hint() + "/" + op);
    for (TfRef r : inputs) {
      n.input(r);
    }
    return n.output(DataType.DT_BOOL);
  }

  static TfRef select(ExportContext c, TfRef cond, TfRef a, TfRef b) {
    return c.g().op("SelectV2", c.hint() + "/SelectV2").input(cond).input(a).input(b).attr("T", a.dtype())
        .output(a.dtype());
  }

  /** {@code x} where positive, else {@code alpha * (exp(x) - 1)}, from TensorFlow's Elu (alpha 1). */
  private static TfRef elu(ExportContext c, TfRef x, float alpha) {
    TfRef e = c.op("Elu", x);
    if (alpha == 1f) {
      return e;
    }
    TfRef pos = c.op("Greater", x, c.scalarLike(x, 0)).as(DataType.DT_BOOL);
    return select(c, pos, x, c.op("Mul", e, c.scalarLike(x, alpha)));
  }

  /** A variadic op (Max, Min, Sum) as a chain of binary ops. */
  private static TfRef fold(ExportContext c, String op) throws OpExportException {
    TfRef acc = c.input(0);
    for (int i = 1; i < c.inputCount(); i++) {
      acc = c.op(op, acc, c.input(i));
    }
    if (c.inputCount() == 1) {
      acc = c.op("Identity", acc);
    }
    return acc;
  }

  static List<String> unaryOps() {
    return List.copyOf(UNARY.keySet());
  }
}
