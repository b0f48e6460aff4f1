package dev.modelbridge.examples;

import dev.modelbridge.ModelException;
import dev.modelbridge.api.ConversionResult;
import dev.modelbridge.api.ModelBridge;
import dev.modelbridge.inspect.ModelSummary;
import java.nio.file.Path;

/**
 * Embedding ModelBridge in a JVM service: inspect a model, then convert it with its weights in an
 * external data file. Errors are typed {@link ModelException}s whose message names the file and
 * the element at fault.
 *
 * <pre>java -cp ... dev.modelbridge.examples.ConvertWithApi examples/models/tiny-cnn.onnx target/tiny-cnn.onnx</pre>
 */
public final class ConvertWithApi {
  private ConvertWithApi() {}

  public static void main(String[] args) throws ModelException {
    Path input = Path.of(args.length > 0 ? args[0] : "examples/models/tiny-cnn.onnx");
    Path output = Path.of(args.length > 1 ? args[1] : "target/tiny-cnn.onnx");

    ModelBridge bridge = ModelBridge.create();
    ModelSummary summary = bridge.inspect(input);
    System.out.printf("%s: %d nodes, %d parameters, inputs %s%n",
        input, summary.nodeCount(), summary.parameterCount(), summary.inputs());

    ConversionResult result = bridge.convert(input)
        .to("onnx")
        .externalData(true)
        .externalDataThreshold(1024)
        .overwrite(true)
        .writeTo(output);
    System.out.printf("wrote %s in %d ms%n", result.files(), result.elapsed().toMillis());
  }
}
