package dev.modelbridge.examples;

import dev.modelbridge.ModelException;
import dev.modelbridge.build.GraphBuilder;
import dev.modelbridge.build.Tensors;
import dev.modelbridge.format.StagedOutput;
import dev.modelbridge.format.WriteOptions;
import dev.modelbridge.api.ModelBridge;
import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Shape;
import dev.modelbridge.ir.Type;
import java.nio.file.Path;

/**
 * Builds the small image classifier shipped as {@code examples/models/tiny-cnn.onnx} with the IR
 * builder: two convolutions with ReLU and pooling, then a dense layer and softmax, with seeded
 * random weights. Run it to regenerate the file:
 *
 * <pre>java -cp ... dev.modelbridge.examples.TinyCnn examples/models/tiny-cnn.onnx</pre>
 */
public final class TinyCnn {
  private TinyCnn() {}

  /** The model: {@code image float[batch,3,32,32] -> probabilities float[batch,10]}, opset 17. */
  public static Model build() {
    GraphBuilder g = GraphBuilder.named("tiny_cnn");
    String x = g.input("image", Type.tensor(ElementType.FLOAT, Shape.ofMixed("batch", 3, 32, 32)));
    String w1 = g.initializer(Tensors.randomFloats("conv1.weight", 1, 8, 3, 3, 3));
    String b1 = g.initializer(Tensors.randomFloats("conv1.bias", 2, 8));
    String w2 = g.initializer(Tensors.randomFloats("conv2.weight", 3, 16, 8, 3, 3));
    String b2 = g.initializer(Tensors.randomFloats("conv2.bias", 4, 16));
    String wd = g.initializer(Tensors.randomFloats("fc.weight", 5, 10, 16));
    String bd = g.initializer(Tensors.randomFloats("fc.bias", 6, 10));

    String c1 = g.op("Conv").name("conv1").inputs(x, w1, b1)
        .ints("kernel_shape", 3, 3).ints("pads", 1, 1, 1, 1).output();
    String r1 = g.op("Relu").name("relu1").inputs(c1).output();
    String p1 = g.op("MaxPool").name("pool1").inputs(r1)
        .ints("kernel_shape", 2, 2).ints("strides", 2, 2).output();
    String c2 = g.op("Conv").name("conv2").inputs(p1, w2, b2)
        .ints("kernel_shape", 3, 3).ints("pads", 1, 1, 1, 1).output();
    String r2 = g.op("Relu").name("relu2").inputs(c2).output();
    String gap = g.op("GlobalAveragePool").name("gap").inputs(r2).output();
    String flat = g.op("Flatten").name("flatten").inputs(gap).attr(Attribute.of("axis", 1L)).output();
    String logits = g.op("Gemm").name("fc").inputs(flat, wd, bd).attr(Attribute.of("transB", 1L)).output();
    String y = g.op("Softmax").name("softmax").inputs(logits).attr(Attribute.of("axis", 1L)).output("probabilities");
    g.output(y, Type.tensor(ElementType.FLOAT, Shape.ofMixed("batch", 10)));

    return GraphBuilder.model(g.build(), 17).toBuilder()
        .docString("A tiny CNN built with ModelBridge's IR builder, for examples and tests.")
        .metadata("license", "Apache-2.0")
        .build();
  }

  public static void main(String[] args) throws ModelException {
    Path out = Path.of(args.length > 0 ? args[0] : "examples/models/tiny-cnn.onnx");
    ModelBridge bridge = ModelBridge.create();
    try (StagedOutput staged = new StagedOutput(out, true)) {
      bridge.formats().byId("onnx").write(build(), staged, WriteOptions.defaults());
      staged.commit();
    }
    System.out.println("wrote " + out);
  }
}
