package dev.modelbridge.infer;

import dev.modelbridge.ir.ElementType;
import java.util.Optional;

/** Ops whose outputs have the shape of their first input: activations, math, casts. */
final class ElementwiseOps {
  private ElementwiseOps() {}

  static void register(HandlerTable t) {
    t.register("", ElementwiseOps::sameAsInput,
        "Abs", "Neg", "Relu", "Sigmoid", "Tanh", "Exp", "Log", "Sqrt", "Reciprocal", "Ceil", "Floor",
        "Round", "Sign", "Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh",
        "Atanh", "Erf", "Elu", "Selu", "LeakyRelu", "HardSigmoid", "HardSwish", "Softplus", "Softsign",
        "ThresholdedRelu", "Celu", "Gelu", "Mish", "Shrink", "Swish", "Softmax",
        "LogSoftmax", "Hardmax", "Clip", "LRN", "BitwiseNot", "Not", "CumSum", "CumProd", "Trilu",
        "LpNormalization", "MeanVarianceNormalization", "InstanceNormalization", "GroupNormalization",
        "RMSNormalization", "ReverseSequence", "Scatter", "ScatterElements", "ScatterND",
        "TensorScatter", "RotaryEmbedding", "Binarizer");
    t.register("", c -> c.output(0, ElementType.BOOL, c.shape(0)), "IsNaN", "IsInf");
    t.register("", ElementwiseOps::cast, "Cast");
    t.register("", ElementwiseOps::identity, "Identity");
    t.register("", c -> c.output(0, c.elem(1), c.shape(0)), "CastLike");
    t.register("", ElementwiseOps::dropout, "Dropout");
    t.register("", ElementwiseOps::randomLike, "RandomUniformLike", "RandomNormalLike", "Bernoulli");
    t.register("", ElementwiseOps::eyeLike, "EyeLike");
    t.register("ai.onnx.ml", c -> c.output(0, c.elem(0), c.shape(0)), "Binarizer", "Normalizer");
  }

  static void sameAsInput(NodeContext c) {
    c.output(0, c.elem(0), c.shape(0));
  }

  private static void identity(NodeContext c) {
    c.type(0).ifPresent(t -> c.output(0, t));
    c.ints(0).ifPresent(d -> c.outputData(0, d));
  }

  private static void cast(NodeContext c) {
    Optional<ElementType> to = c.attrInt("to").flatMap(code -> ElementType.fromCode((int) (long) code));
    c.output(0, to, c.shape(0));
    // Casting an int shape to another int type keeps the known values (Shape -> Cast -> Reshape).
    if (to.isPresent() && to.get() == ElementType.INT64 || to.isPresent() && to.get() == ElementType.INT32) {
      c.ints(0).ifPresent(d -> c.outputData(0, d));
    }
  }

  private static void dropout(NodeContext c) {
    c.output(0, c.elem(0), c.shape(0));
    // The mask is bool from opset 10 on; before, it had the input's type.
    c.output(1, c.opset() >= 10 ? Optional.of(ElementType.BOOL) : c.elem(0), c.shape(0));
  }

  private static void randomLike(NodeContext c) {
    Optional<ElementType> dtype = c.attrInt("dtype").flatMap(code -> ElementType.fromCode((int) (long) code));
    c.output(0, dtype.isPresent() ? dtype : c.elem(0), c.shape(0));
  }

  private static void eyeLike(NodeContext c) {
    Optional<ElementType> dtype = c.attrInt("dtype").flatMap(code -> ElementType.fromCode((int) (long) code));
    c.output(0, dtype.isPresent() ? dtype : c.elem(0), c.shape(0));
  }
}
