package dev.modelbridge.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.format.Limits;
import dev.modelbridge.tensorflow.bundle.TensorBundle;
import dev.modelbridge.tensorflow.graph.FlatGraph;
import dev.modelbridge.tensorflow.graph.FunctionInliner;
import dev.modelbridge.tensorflow.graph.OpDefs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.MetaGraphDef;

/**
 * The two ways of finding a TF2 variable's checkpoint key agree on every corpus SavedModel with an
 * object graph: through the SavedObjectGraph and the checkpoint's TrackableObjectGraph (the
 * serving calls' captured inputs), and through the saver's restore function (RestoreV2 to
 * AssignVariableOp after inlining). Each is an independent cross-check of the other.
 */
class ObjectGraphKeysCorpusTest {

  @Test
  void objectGraphKeysMatchRestoreOpKeysOnTheCorpus() throws Exception {
    Path root = TfCorpusReadTest.corpus();
    List<String> mismatches = new ArrayList<>();
    int models = 0;
    int checked = 0;
    for (Path dir : TfCorpusReadTest.models()) {
      Optional<Path> file = Files.isDirectory(dir) ? SavedModelReader.modelFile(dir) : Optional.empty();
      if (file.isEmpty() || !Files.isRegularFile(dir.resolve("variables/variables.index"))) {
        continue;
      }
      MetaGraphDef meta;
      try {
        meta = SavedModelReader.metaGraph(SavedModelReader.parse(file.get()), SavedModelReader.DEFAULT_TAG);
      } catch (dev.modelbridge.ModelException e) {
        continue; // another tag set (or none): the read tests cover it
      }
      if (!meta.hasObjectGraphDef()) {
        continue;
      }
      models++;
      FlatGraph flat = FunctionInliner.flatten(meta.getGraphDef(), new OpDefs(meta.getMetaInfoDef().getStrippedOpList()),
          Limits.defaults());
      TensorBundle bundle = TensorBundle.open(dir.resolve("variables"));
      Map<String, String> byObjects = SavedModelReader.objectGraphKeys(flat, meta, bundle);
      Map<String, String> byRestore = SavedModelReader.restoreKeys(flat, meta);
      String rel = root.relativize(dir).toString();
      System.out.printf("%-100s object graph %s%n%-100s restore ops  %s%n", rel, byObjects, "", byRestore);
      for (Map.Entry<String, String> e : byObjects.entrySet()) {
        checked++;
        assertTrue(bundle.entry(e.getValue()).isPresent(), rel + ": " + e + " not in the checkpoint");
        if (!e.getValue().equals(byRestore.get(e.getKey()))) {
          mismatches.add(rel + ": " + e.getKey() + " -> " + e.getValue() + " by the object graph, "
              + byRestore.get(e.getKey()) + " by the restore ops");
        }
      }
    }
    System.out.println(models + " SavedModels with an object graph, " + checked + " variables cross-checked");
    assertEquals(List.of(), mismatches);
    // VarsAndArithmeticObjectGraph (3), tf_readvariableop_saved_model, UninitializedVariable, tftrt_2.0.
    assertTrue(checked >= 5, "variables cross-checked: " + checked);
  }
}
