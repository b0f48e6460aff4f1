package dev.modelbridge.e2e.tensorflow.tfjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.ModelException;
import dev.modelbridge.api.ModelBridge;
import dev.modelbridge.e2e.support.Corpus;
import dev.modelbridge.e2e.support.OrtRunner;
import dev.modelbridge.e2e.support.TensorValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.proto.SavedModel;

/**
 * TF2 corpus SavedModels whose restore ops are removed (no SaverDef, no restore call, no
 * {@code __inference__traced_restore} function) still convert with the right weights: the
 * converter finds each variable's checkpoint key through the SavedObjectGraph and the checkpoint's
 * object graph alone. The oracle is TensorFlow Java running the original, unmodified model. A
 * copy stripped of the object graph too must fail to find the weights, which shows the first copy
 * did not succeed by another route.
 */
class ObjectGraphVariablesTest {
  private static final Path OUT = Path.of("target", "object-graph-variables");
  private static final List<String> MODELS = List.of("VarsAndArithmeticObjectGraph", "tf_readvariableop_saved_model");

  @Test
  void weightsAreFoundThroughTheObjectGraphWithoutRestoreOps() throws Exception {
    Path corpus = Corpus.root().orElse(null);
    Assumptions.assumeTrue(corpus != null, "shared corpus not present");
    List<Path> dirs;
    try (Stream<Path> s = Files.walk(corpus.resolve("tf-savedmodels"))) {
      dirs = s.filter(p -> MODELS.contains(p.getFileName().toString()) && Files.exists(p.resolve("saved_model.pb")))
          .sorted().toList();
    }
    assertEquals(MODELS.size(), dirs.size(), "corpus models found: " + dirs);
    List<String> failures = new ArrayList<>();
    int compared = 0;
    try (OrtRunner ort = new OrtRunner()) {
      for (Path original : dirs) {
        String name = original.getFileName().toString();
        Path stripped = OUT.resolve(name + "-no-restore");
        Path bare = OUT.resolve(name + "-no-restore-no-object-graph");
        writeStrippedCopy(original, stripped, false);
        writeStrippedCopy(original, bare, true);
        try (SavedModelBundle bundle = SavedModelBundle.loader(original.toString()).withTags("serve").load()) {
          for (Signature sig : TensorFlowJavaOracleTest.signatures(bundle).values()) {
            Map<String, TensorValue> inputs = TensorFlowJavaOracleTest.randomInputs(TensorFlowJavaOracleTest.shapes(sig), 11);
            Map<String, TensorValue> expected = TensorFlowRunner.run(bundle, sig.key(), inputs);
            String verdict = TensorFlowJavaOracleTest.compare(stripped, sig.key(), inputs, expected, ort);
            compared++;
            System.out.printf("%-40s [%s] %s%n", name, sig.key(), verdict);
            if (!verdict.startsWith("pass")) {
              failures.add(name + " [" + sig.key() + "]: " + verdict);
            }
            String control = convertError(bare, sig.key());
            System.out.printf("%-40s [%s] without the object graph: %s%n", name, sig.key(), control);
            if (!control.contains("no value in the checkpoint")) {
              failures.add(name + " [" + sig.key() + "] without restore ops and object graph: " + control);
            }
          }
        }
      }
    }
    assertEquals(List.of(), failures);
    assertTrue(compared >= MODELS.size(), "signatures compared: " + compared);
  }

  /** The conversion's error message, or "converted" when there is none. */
  private static String convertError(Path dir, String signature) {
    Path onnx = OUT.resolve(dir.getFileName() + ".onnx");
    try {
      ModelBridge.create().convert(dir).readOption("signature", signature).to("onnx").overwrite(true).writeTo(onnx);
      return "converted";
    } catch (ModelException e) {
      return e.getMessage();
    }
  }

  /**
   * Copies the SavedModel without its restore path: the SaverDef, the restore call node and the
   * restore functions go; with {@code dropObjectGraph} the MetaGraph's object graph goes too. The
   * variables folder is copied unchanged.
   */
  private static void writeStrippedCopy(Path from, Path to, boolean dropObjectGraph) throws Exception {
    deleteTree(to);
    Files.createDirectories(to.resolve("variables"));
    SavedModel model = SavedModel.parseFrom(Files.readAllBytes(from.resolve("saved_model.pb")));
    SavedModel.Builder out = model.toBuilder().clearMetaGraphs();
    for (MetaGraphDef meta : model.getMetaGraphsList()) {
      String restore = meta.getSaverDef().getRestoreOpName();
      String restoreNode = restore.contains(":") ? restore.substring(0, restore.indexOf(':')) : restore;
      Set<String> restoreFunctions = meta.getGraphDef().getLibrary().getFunctionList().stream()
          .map(f -> f.getSignature().getName()).filter(n -> n.contains("traced_restore")).collect(Collectors.toSet());
      assertTrue(!restore.isEmpty() && !restoreFunctions.isEmpty(), from + ": no restore op to strip");
      GraphDef.Builder graph = meta.getGraphDef().toBuilder().clearNode();
      for (NodeDef n : meta.getGraphDef().getNodeList()) {
        boolean callsRestore = n.containsAttr("f") && restoreFunctions.contains(n.getAttrOrThrow("f").getFunc().getName());
        if (!n.getName().equals(restoreNode) && !callsRestore) {
          graph.addNode(n);
        }
      }
      var library = graph.getLibrary().toBuilder().clearFunction();
      meta.getGraphDef().getLibrary().getFunctionList().stream()
          .filter(f -> !restoreFunctions.contains(f.getSignature().getName())).forEach(library::addFunction);
      graph.setLibrary(library);
      MetaGraphDef.Builder m = meta.toBuilder().setGraphDef(graph).setSaverDef(SaverDef.getDefaultInstance());
      if (dropObjectGraph) {
        m.clearObjectGraphDef();
      }
      out.addMetaGraphs(m);
    }
    Files.write(to.resolve("saved_model.pb"), out.build().toByteArray());
    try (Stream<Path> files = Files.list(from.resolve("variables"))) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve("variables").resolve(f.getFileName()));
      }
    }
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
