package dev.modelbridge.tensorflow;

import static dev.modelbridge.tensorflow.TinyGraphs.b;
import static dev.modelbridge.tensorflow.TinyGraphs.int32s;
import static dev.modelbridge.tensorflow.TinyGraphs.node;
import static dev.modelbridge.tensorflow.TinyGraphs.placeholder;
import static dev.modelbridge.tensorflow.TinyGraphs.with;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelbridge.format.ReadOptions;
import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.GraphDef;

/**
 * Graphs without {@code _output_shapes} (as TensorFlow Java writes them) still convert ops that
 * need a rank: the rank comes from the producers, here a Reshape to a constant shape.
 */
class OracleRankInferenceTest {
  @TempDir
  Path dir;

  @Test
  void adjointBatchMatMulAfterReshapeSwapsTheLastTwoAxes() throws Exception {
    GraphDef g = GraphDef.newBuilder()
        .addNode(placeholder("x", -1, 6))
        .addNode(int32s("shape", -1, 2, 3))
        .addNode(node("r", "Reshape", "x", "shape"))
        .addNode(with(node("scores", "BatchMatMulV2", "r", "r"), "adj_y", b(true)))
        .addNode(node("p", "Softmax", "scores"))
        .addNode(with(node("y", "BatchMatMulV2", "p", "r"), "adj_x", b(true)))
        .build();
    Path file = dir.resolve("g.pb");
    Files.write(file, g.toByteArray());
    Model m = new GraphDefFormat().read(file, ReadOptions.defaults().with(ReadOptions.OUTPUTS, "y"));
    List<Node> transposes = m.graph().nodes().stream().filter(n -> n.opType().equals("Transpose")).toList();
    assertEquals(2, transposes.size());
    for (Node t : transposes) {
      assertEquals(List.of(0L, 2L, 1L), ((Attribute.IntsAttr) t.attribute("perm").orElseThrow()).values());
    }
  }
}
