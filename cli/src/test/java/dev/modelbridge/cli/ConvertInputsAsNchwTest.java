package dev.modelbridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelbridge.api.ModelBridge;
import dev.modelbridge.ir.Dim;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code convert --inputs-as-nchw} on the corpus' NHWC CNN: an NCHW input and no input Transpose. */
class ConvertInputsAsNchwTest {
  @TempDir Path dir;

  @Test
  void nhwcCnnTakesAnNchwInput() throws Exception {
    Path model = Path.of(System.getProperty("modelbridge.root", "..")).resolve("../shared/corpus")
        .resolve("tf-savedmodels/tensorflow/python/compiler/tensorrt/model_tests/sample_model").normalize();
    Assumptions.assumeTrue(Files.isDirectory(model), "shared corpus not present");
    Path out = dir.resolve("nchw.onnx");
    CliTest.Run r = CliTest.run("convert", model.toString(), "--to", "onnx", "-o", out.toString(),
        "--inputs-as-nchw", "input");
    assertEquals(0, r.exit(), r.err());
    Model m = ModelBridge.create().read(out);
    assertEquals(1, m.graph().nodes().stream().filter(n -> n.opType().equals("Transpose")).count());
    List<Dim> dims = ((Type.TensorType) m.graph().inputs().get(0).type().orElseThrow()).shape().orElseThrow().dims();
    Model nhwc = ModelBridge.create().read(model);
    List<Dim> nhwcDims = ((Type.TensorType) nhwc.graph().inputs().get(0).type().orElseThrow()).shape().orElseThrow().dims();
    assertEquals(List.of(nhwcDims.get(0), nhwcDims.get(3), nhwcDims.get(1), nhwcDims.get(2)), dims);
  }
}
