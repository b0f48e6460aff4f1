package dev.modelbridge.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.modelbridge.format.ReadOptions;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.tensorflow.bundle.TensorBundle;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SavedObjectGraphOuterClass.SavedConcreteFunction;
import org.tensorflow.proto.SavedObjectGraphOuterClass.SavedObjectGraph;

/**
 * When the object graph and the restore ops disagree, the object graph wins: a copy of the
 * corpus' VarsAndArithmeticObjectGraph whose signature function binds {@code y} where it bound
 * {@code x} (and the reverse), with the restore ops unchanged, reads {@code variable_x} from
 * {@code y}'s checkpoint entry.
 */
class ObjectGraphPrecedenceTest {
  private static final String X_KEY = "x/.ATTRIBUTES/VARIABLE_VALUE";
  private static final String Y_KEY = "y/.ATTRIBUTES/VARIABLE_VALUE";

  @Test
  void objectGraphWinsOverDisagreeingRestoreOps(@TempDir Path tmp) throws Exception {
    Path original = TfCorpusReadTest.corpus().resolve("tf-savedmodels/tensorflow/cc/saved_model/testdata/VarsAndArithmeticObjectGraph");
    Assumptions.assumeTrue(Files.isDirectory(original), "VarsAndArithmeticObjectGraph not in the corpus");
    SavedModel model = SavedModel.parseFrom(Files.readAllBytes(original.resolve("saved_model.pb")));
    MetaGraphDef meta = model.getMetaGraphs(0);
    SavedObjectGraph.Builder graph = meta.getObjectGraphDef().toBuilder();
    int x = childId(meta.getObjectGraphDef(), "x");
    int y = childId(meta.getObjectGraphDef(), "y");
    for (var e : meta.getObjectGraphDef().getConcreteFunctionsMap().entrySet()) {
      SavedConcreteFunction.Builder f = e.getValue().toBuilder().clearBoundInputs();
      e.getValue().getBoundInputsList().forEach(id -> f.addBoundInputs(id == x ? y : id == y ? x : id));
      graph.putConcreteFunctions(e.getKey(), f.build());
    }
    Path copy = tmp.resolve("swapped");
    Files.createDirectories(copy.resolve("variables"));
    Files.write(copy.resolve("saved_model.pb"),
        model.toBuilder().setMetaGraphs(0, meta.toBuilder().setObjectGraphDef(graph)).build().toByteArray());
    try (Stream<Path> files = Files.list(original.resolve("variables"))) {
      for (Path f : files.toList()) {
        Files.copy(f, copy.resolve("variables").resolve(f.getFileName()));
      }
    }
    TensorBundle bundle = TensorBundle.open(original.resolve("variables"));
    float xValue = scalar(bundle.tensor(X_KEY, "x"));
    float yValue = scalar(bundle.tensor(Y_KEY, "y"));
    assertNotEquals(xValue, yValue, "the test needs x and y to differ");

    Model swapped = new SavedModelFormat().read(copy, ReadOptions.defaults());
    assertEquals(yValue, scalar(initializer(swapped, "variable_x")));
    assertEquals(xValue, scalar(initializer(swapped, "variable_y")));
    Model unchanged = new SavedModelFormat().read(original, ReadOptions.defaults());
    assertEquals(xValue, scalar(initializer(unchanged, "variable_x")));
  }

  private static int childId(SavedObjectGraph graph, String name) {
    return graph.getNodes(0).getChildrenList().stream().filter(c -> c.getLocalName().equals(name))
        .findFirst().orElseThrow().getNodeId();
  }

  private static Tensor initializer(Model m, String name) {
    List<Tensor> found = m.graph().initializers().stream().filter(t -> t.name().equals(name)).toList();
    assertEquals(1, found.size(), "initializer " + name);
    return found.get(0);
  }

  private static float scalar(Tensor t) {
    return t.data().bytes().order(ByteOrder.LITTLE_ENDIAN).getFloat(0);
  }
}
