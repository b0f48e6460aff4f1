package dev.modelbridge.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelbridge.build.GraphBuilder;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Shape;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.Type;
import dev.modelbridge.text.TextFormat;

/** Test helpers: infer a tiny graph and check value types in their text form ({@code float[N,3,?]}). */
final class Infer {
  private Infer() {}

  static GraphTypes main(GraphBuilder g, long opset) {
    return ModelInference.infer(GraphBuilder.model(g.build(), opset)).main();
  }

  static void assertType(GraphTypes g, String value, String expected) {
    assertEquals(expected, g.type(value).map(Object::toString).orElse("unknown"),
        () -> "type of '" + value + "' in\n" + TextFormat.format(g.graph()));
  }

  /** A float tensor type from mixed dims: numbers, symbols, null for unknown. */
  static Type f32(Object... dims) {
    return Type.tensor(ElementType.FLOAT, Shape.ofMixed(dims));
  }

  static Type of(ElementType e, Object... dims) {
    return Type.tensor(e, Shape.ofMixed(dims));
  }

  static Tensor ints(String name, long... values) {
    return Tensor.ofInt64s(name, new long[] {values.length}, values);
  }

  static Tensor scalar(String name, long value) {
    return Tensor.ofInt64s(name, new long[0], value);
  }
}
