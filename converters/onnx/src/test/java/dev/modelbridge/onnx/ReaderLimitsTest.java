package dev.modelbridge.onnx;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.InvalidModelException;
import dev.modelbridge.ModelException;
import dev.modelbridge.format.Limits;
import dev.modelbridge.format.ReadOptions;
import dev.modelbridge.schemas.onnx.AttributeProto;
import dev.modelbridge.schemas.onnx.FunctionProto;
import dev.modelbridge.schemas.onnx.GraphProto;
import dev.modelbridge.schemas.onnx.ModelProto;
import dev.modelbridge.schemas.onnx.NodeProto;
import dev.modelbridge.schemas.onnx.OperatorSetIdProto;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader's limits: nested graphs, node count, protobuf depth, recursive functions. */
class ReaderLimitsTest {
  @TempDir Path dir;

  private Path write(ModelProto m) throws Exception {
    Path f = dir.resolve("m.onnx");
    Files.write(f, m.toByteArray());
    return f;
  }

  private static ModelProto model(GraphProto g) {
    return ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17))
        .setGraph(g).build();
  }

  private static GraphProto nestedIfs(int depth) {
    GraphProto g = GraphProto.newBuilder().setName("g0").build();
    for (int i = 1; i <= depth; i++) {
      NodeProto n = NodeProto.newBuilder().setOpType("If").addInput("c").addOutput("y" + i)
          .addAttribute(AttributeProto.newBuilder().setName("then_branch").setType(AttributeProto.AttributeType.GRAPH).setG(g))
          .build();
      g = GraphProto.newBuilder().setName("g" + i).addNode(n).build();
    }
    return g;
  }

  private static ModelException read(Path f, Limits limits) {
    return assertThrows(ModelException.class, () -> new OnnxReader(ReadOptions.defaults().withLimits(limits)).read(f));
  }

  @Test
  void graphNestingIsBounded() throws Exception {
    Path f = write(model(nestedIfs(70)));
    ModelException e = read(f, Limits.defaults());
    assertTrue(e.getMessage().contains("maxGraphDepth"), e.getMessage());
    assertDoesNotThrow(() -> new OnnxReader(ReadOptions.defaults().withLimits(Limits.defaults().withMaxGraphDepth(80)))
        .read(f));
    assertTrue(read(write(model(nestedIfs(10))), Limits.defaults().withMaxGraphDepth(5)).getMessage()
        .contains("maxGraphDepth"));
  }

  @Test
  void messageDepthIsBounded() throws Exception {
    ModelException e = read(write(model(nestedIfs(20))), Limits.defaults().withMaxMessageDepth(40));
    assertTrue(e.getMessage().contains("not a valid ONNX protobuf"), e.getMessage());
  }

  @Test
  void nodeCountIsBounded() throws Exception {
    GraphProto.Builder g = GraphProto.newBuilder().setName("g");
    for (int i = 0; i < 50; i++) {
      g.addNode(NodeProto.newBuilder().setOpType("Relu").addInput("x" + i).addOutput("x" + (i + 1)));
    }
    assertTrue(read(write(model(g.build())), Limits.defaults().withMaxNodes(49)).getMessage().contains("maxNodes"));
  }

  @Test
  void recursiveFunctionsAreRefused() throws Exception {
    ModelProto.Builder m = model(GraphProto.newBuilder().setName("g")
        .addNode(NodeProto.newBuilder().setOpType("F").setDomain("local").addInput("x").addOutput("y")).build())
        .toBuilder().addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("local").setVersion(1));
    m.addFunctions(FunctionProto.newBuilder().setName("F").setDomain("local").addInput("x").addOutput("y")
        .addNode(NodeProto.newBuilder().setOpType("G").setDomain("local").addInput("x").addOutput("y")));
    m.addFunctions(FunctionProto.newBuilder().setName("G").setDomain("local").addInput("x").addOutput("y")
        .addNode(NodeProto.newBuilder().setOpType("F").setDomain("local").addInput("x").addOutput("y")));
    ModelException e = assertThrows(InvalidModelException.class,
        () -> new OnnxReader(ReadOptions.defaults()).read(write(m.build())));
    assertTrue(e.getMessage().contains("local:F -> local:G -> local:F")
        || e.getMessage().contains("local:G -> local:F -> local:G"), e.getMessage());
  }
}
