package dev.modelbridge.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.OutputExistsException;
import dev.modelbridge.UnsupportedModelException;
import dev.modelbridge.format.ReadOptions;
import dev.modelbridge.format.StagedOutput;
import dev.modelbridge.format.WriteOptions;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.TensorData;
import dev.modelbridge.ir.Type;
import dev.modelbridge.ir.ValueInfo;
import dev.modelbridge.schemas.onnx.ModelProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing and reading back ONNX files made with the IR builder, with and without external data. */
class OnnxRoundTripTest {
  @TempDir Path dir;

  static Model mlp() {
    float[] w = new float[4 * 3];
    for (int i = 0; i < w.length; i++) {
      w[i] = i * 0.25f - 1;
    }
    Graph g = Graph.builder("mlp")
        .input(ValueInfo.of("x", Type.tensor(ElementType.FLOAT, 2, 4)))
        .initializer(Tensor.ofFloats("w", new long[] {4, 3}, w))
        .initializer(Tensor.ofFloats("b", new long[] {3}, 0.5f, -0.5f, 1f))
        .node(Node.builder("MatMul").name("mm").inputs("x", "w").outputs("h").build())
        .node(Node.builder("Add").name("add").inputs("h", "b").outputs("y").build())
        .output(ValueInfo.of("y", Type.tensor(ElementType.FLOAT, 2, 3)))
        .build();
    return Model.builder().irVersion(8).opset("", 17).graph(g).build();
  }

  private Path write(Model m, String name, WriteOptions options) throws Exception {
    Path out = dir.resolve(name);
    try (StagedOutput staged = new StagedOutput(out, false)) {
      new OnnxWriter(options).write(m, staged);
      staged.commit();
    }
    return out;
  }

  @Test
  void externalDataGoesToOneSideFileAndReadsBackBitForBit() throws Exception {
    Path out = write(mlp(), "m.onnx", WriteOptions.defaults().withExternalData(true).withThreshold(16));
    assertTrue(Files.exists(dir.resolve("m.onnx.data")));
    Model back = new OnnxReader(ReadOptions.defaults()).read(out);
    Tensor w = back.graph().initializer("w").orElseThrow();
    Tensor b = back.graph().initializer("b").orElseThrow();
    assertTrue(w.data() instanceof TensorData.FileRegion, "large tensor is external");
    assertTrue(b.data() instanceof TensorData.InMemory, "12-byte tensor stays inline");
    assertEquals(mlp().graph().initializer("w").orElseThrow().data().bytes(), w.data().bytes());
  }

  @Test
  void withoutExternalDataEverythingIsInline() throws Exception {
    write(mlp(), "m.onnx", WriteOptions.defaults());
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(1, files.count(), "only the model file, no temporaries left");
    }
  }

  @Test
  void anExistingOutputIsKeptWithoutOverwrite() throws Exception {
    Path out = write(mlp(), "m.onnx", WriteOptions.defaults());
    byte[] before = Files.readAllBytes(out);
    assertThrows(OutputExistsException.class, () -> new StagedOutput(out, false));
    assertEquals(before.length, Files.readAllBytes(out).length);
  }

  @Test
  void aFailedWriteLeavesNothingBehind() throws Exception {
    Path out = dir.resolve("m.onnx");
    try (StagedOutput staged = new StagedOutput(out, false)) {
      new OnnxWriter(WriteOptions.defaults().withExternalData(true).withThreshold(0)).write(mlp(), staged);
      // no commit: as if the conversion failed after writing
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(0, files.count());
    }
  }

  @Test
  void unknownFieldsAreRefusedUnlessAllowed() throws Exception {
    Path out = write(mlp(), "m.onnx", WriteOptions.defaults());
    ModelProto withUnknown = ModelProto.parseFrom(Files.readAllBytes(out)).toBuilder()
        .setUnknownFields(com.google.protobuf.UnknownFieldSet.newBuilder()
            .addField(99, com.google.protobuf.UnknownFieldSet.Field.newBuilder().addVarint(1).build())
            .build())
        .build();
    Files.write(out, withUnknown.toByteArray());
    var e = assertThrows(UnsupportedModelException.class, () -> new OnnxReader(ReadOptions.defaults()).read(out));
    assertTrue(e.getMessage().contains("99"), e.getMessage());
    assertFalse(new OnnxReader(new ReadOptions(true)).read(out).graph().nodes().isEmpty());
  }
}
