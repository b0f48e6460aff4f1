package dev.modelbridge.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import dev.modelbridge.format.ReadOptions;
import dev.modelbridge.format.StagedOutput;
import dev.modelbridge.format.WriteOptions;
import dev.modelbridge.ir.Model;
import dev.modelbridge.schemas.onnx.GraphProto;
import dev.modelbridge.schemas.onnx.ModelProto;
import dev.modelbridge.schemas.onnx.NodeProto;
import dev.modelbridge.schemas.onnx.OperatorSetIdProto;
import dev.modelbridge.schemas.onnx.StringStringEntryProto;
import dev.modelbridge.schemas.onnx.TensorProto;
import dev.modelbridge.schemas.onnx.ValueInfoProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write side of external data (compare CVE-2025-51480): whatever names and locations the
 * model's tensors carry, the writer puts its side file next to the output and nowhere else, and
 * every location it writes is that file's bare name.
 */
class ExternalDataWriteSafetyTest {
  private static final List<String> HOSTILE = List.of("../../escape.bin", "/tmp/modelbridge-abs.bin",
      "..\\..\\win.bin", "sub/../../x.bin", "nested/deep/w.bin", "C:\\evil.bin", "~/.bashrc", "model.onnx");

  @Test
  void sideFileStaysInTheOutputFolder(@TempDir Path root) throws Exception {
    Path in = Files.createDirectories(root.resolve("in"));
    Files.createDirectories(in.resolve("nested"));
    byte[] weights = new byte[4096];
    Files.write(in.resolve("nested/w.bin"), weights);
    GraphProto.Builder g = GraphProto.newBuilder().setName("g");
    int i = 0;
    for (String name : HOSTILE) {
      g.addInitializer(TensorProto.newBuilder().setName(name).setDataType(1).addDims(1024)
          .setRawData(ByteString.copyFrom(new byte[4096])));
      g.addNode(NodeProto.newBuilder().setOpType("Identity").addInput(name).addOutput("y" + i));
      g.addOutput(ValueInfoProto.newBuilder().setName("y" + i++));
    }
    // One tensor read from external data at a (safe) nested location of the input folder.
    g.addInitializer(TensorProto.newBuilder().setName("ext").setDataType(1).addDims(1024)
        .setDataLocation(TensorProto.DataLocation.EXTERNAL)
        .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("nested/w.bin")));
    Files.write(in.resolve("m.onnx"), ModelProto.newBuilder().setIrVersion(8)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17)).setGraph(g).build().toByteArray());
    Model model = new OnnxReader(ReadOptions.defaults()).read(in.resolve("m.onnx"));

    Path out = Files.createDirectories(root.resolve("out")).resolve("model.onnx");
    try (StagedOutput staged = new StagedOutput(out, false)) {
      new OnnxWriter(WriteOptions.defaults().withExternalData(true).withThreshold(0)).write(model, staged);
      staged.commit();
    }

    try (Stream<Path> all = Files.walk(root)) {
      assertEquals(List.of("in", "in/m.onnx", "in/nested", "in/nested/w.bin", "out", "out/model.onnx",
          "out/model.onnx.data"), all.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString())
          .sorted().toList());
    }
    assertEquals(false, Files.exists(Path.of("/tmp/modelbridge-abs.bin")));
    ModelProto written = ModelProto.parseFrom(Files.readAllBytes(out));
    for (TensorProto t : written.getGraph().getInitializerList()) {
      assertEquals(TensorProto.DataLocation.EXTERNAL, t.getDataLocation(), t.getName());
      assertEquals("model.onnx.data", t.getExternalDataList().stream().filter(e -> e.getKey().equals("location"))
          .findFirst().orElseThrow().getValue(), t.getName());
    }
  }
}
