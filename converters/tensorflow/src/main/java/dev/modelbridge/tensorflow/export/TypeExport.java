package dev.modelbridge.tensorflow.export;

import java.util.Map;
import org.tensorflow.proto.DataType;

/** Ops about element types and bits: CastLike, Size, IsInf, IsNaN, BitShift and the bitwise ops. */
final class TypeExport implements ExportRegistry.Family {

  private static final Map<String, String> BITWISE = Map.of(
      "BitwiseAnd", "BitwiseAnd", "BitwiseOr", "BitwiseOr", "BitwiseXor", "BitwiseXor");

  @Override
  public void register(ExportRegistry.Builder t) {
    // CastLike is Cast to the element type of input 1; its value is never read.
    t.add("CastLike", 15, c -> c.bind(0, c.cast(c.input(0), c.input(1).dtype())));
    t.add("Size", 1, c -> c.bind(0, c.g().op("Size", c.hint()).input(c.input(0)).attr("T", c.input(0).dtype())
        .attr("out_type", DataType.DT_INT64).output(DataType.DT_INT64)));
    t.add("IsNaN", 9, c -> c.bind(0, c.op("IsNan", c.input(0)).as(DataType.DT_BOOL)));
    t.add("IsInf", 10, TypeExport::isInf);
    t.add("BitShift", 11, c -> c.bind(0, c.op(
        c.attrString("direction", "").equals("LEFT") ? "LeftShift" : "RightShift", c.input(0), c.input(1))));
    BITWISE.forEach((onnx, tf) -> t.add(onnx, 18, c -> c.bind(0, c.op(tf, c.input(0), c.input(1)))));
    t.add("BitwiseNot", 18, c -> c.bind(0, c.op("Invert", c.input(0))));
  }

  /** TensorFlow's IsInf finds both signs; the sign ONNX leaves out is masked with a comparison. */
  private static void isInf(ExportContext c) throws OpExportException {
    TfRef x = c.input(0);
    boolean pos = c.attrInt("detect_positive", 1) != 0;
    boolean neg = c.attrInt("detect_negative", 1) != 0;
    TfRef inf = c.op("IsInf", x).as(DataType.DT_BOOL);
    if (pos && neg) {
      c.bind(0, inf);
      return;
    }
    if (!pos && !neg) {
      c.bind(0, c.cast(c.op("ZerosLike", x), DataType.DT_BOOL));
      return;
    }
    TfRef sign = c.op(pos ? "Greater" : "Less", x, c.scalarLike(x, 0)).as(DataType.DT_BOOL);
    c.bind(0, logical(c, "LogicalAnd", inf, sign));
  }

  /** A bool op of TensorFlow, which has no {@code T} attribute. */
  static TfRef logical(ExportContext c, String op, TfRef... inputs) {
    TfGraph.Node n = c.g().op(op, c.hint() + "/" + op);
    for (TfRef r : inputs) {
      n.input(r);
    }
    return n.output(DataType.DT_BOOL);
  }
}
