package dev.modelbridge.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.format.FormatFindings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.TensorInfo;

/**
 * SavedModel checks: every SavedModel TensorFlow wrote in the corpus passes; each kind of damage
 * is reported with its rule id.
 */
class SavedModelCheckerTest {
  record Report(String rule, String where, String message) {}

  static Path corpus() {
    Path root = Path.of(System.getProperty("modelbridge.root", "../..")).resolve("../shared/corpus").normalize();
    Assumptions.assumeTrue(Files.isDirectory(root), "shared corpus not present");
    return root;
  }

  static List<Report> check(Path dir) {
    List<Report> out = new ArrayList<>();
    SavedModelChecker.check(dir, (rule, level, where, message) -> {
      if (level == FormatFindings.Level.ERROR) {
        out.add(new Report(rule, where, message));
      }
    });
    return out;
  }

  @Test
  void everyCorpusSavedModelPasses() throws IOException {
    List<Path> dirs;
    try (Stream<Path> files = Files.walk(corpus())) {
      dirs = files.filter(p -> p.getFileName().toString().startsWith("saved_model.pb")).map(Path::getParent)
          .distinct().sorted().toList();
    }
    assertTrue(dirs.size() >= 20, "found " + dirs.size());
    for (Path d : dirs) {
      assertEquals(List.of(), check(d), d.toString());
    }
  }

  @Test
  void damageIsReportedWithItsRule(@TempDir Path tmp) throws Exception {
    Path original = corpus().resolve("tf-savedmodels/tensorflow/cc/saved_model/testdata/half_plus_two/00000123");
    Assumptions.assumeTrue(Files.isDirectory(original));

    Path flipped = copy(original, tmp.resolve("flipped"));
    Path shard = flipped.resolve("variables/variables.data-00000-of-00001");
    byte[] b = Files.readAllBytes(shard);
    b[0] ^= 1;
    Files.write(shard, b);
    assertRule("savedmodel.variables", check(flipped));

    Path garbage = copy(original, tmp.resolve("garbage"));
    Files.write(garbage.resolve("saved_model.pb"), new byte[] {0x0a, (byte) 0xff, 0x01});
    assertRule("savedmodel.parse", check(garbage));

    Path badSignature = copy(original, tmp.resolve("signature"));
    edit(badSignature, m -> {
      var meta = m.getMetaGraphs(0).toBuilder();
      var sig = meta.getSignatureDefMap().get("serving_default").toBuilder();
      sig.putOutputs("y", TensorInfo.newBuilder(sig.getOutputsMap().get("y")).setName("nowhere:0").build());
      meta.putSignatureDef("serving_default", sig.build());
      return m.toBuilder().setMetaGraphs(0, meta).build();
    });
    assertRule("savedmodel.signature", check(badSignature));

    Path unknownOp = copy(original, tmp.resolve("op"));
    edit(unknownOp, m -> {
      var meta = m.getMetaGraphs(0).toBuilder();
      meta.getGraphDefBuilder().addNode(NodeDef.newBuilder().setName("mystery").setOp("FrobnicateV9"));
      return m.toBuilder().setMetaGraphs(0, meta).build();
    });
    assertRule("savedmodel.unknown-op", check(unknownOp));
  }

  @Test
  void unknownOpsInFunctionBodiesAreWarnings(@TempDir Path tmp) throws Exception {
    Path original = corpus().resolve("tf-savedmodels/tensorflow/cc/saved_model/testdata/x_plus_y_v2_debuginfo");
    Assumptions.assumeTrue(Files.isDirectory(original));
    Path dir = copy(original, tmp.resolve("fn"));
    edit(dir, m -> {
      var meta = m.getMetaGraphs(0).toBuilder();
      var lib = meta.getGraphDefBuilder().getLibraryBuilder();
      lib.getFunctionBuilder(0).addNodeDef(NodeDef.newBuilder().setName("odd").setOp("FrobnicateV9"));
      return m.toBuilder().setMetaGraphs(0, meta).build();
    });
    List<String> warnings = new ArrayList<>();
    SavedModelChecker.check(dir, (rule, level, where, message) -> warnings.add(level + " " + rule + " " + message));
    assertEquals(List.of("WARNING savedmodel.unknown-function-op op 'FrobnicateV9' is not a TensorFlow op this version knows"),
        warnings);
  }

  private static void assertRule(String rule, List<Report> reports) {
    assertEquals(1, reports.size(), reports.toString());
    assertEquals(rule, reports.get(0).rule(), reports.toString());
  }

  private static void edit(Path dir, java.util.function.UnaryOperator<SavedModel> change) throws Exception {
    Path pb = dir.resolve("saved_model.pb");
    Files.write(pb, change.apply(SavedModel.parseFrom(Files.readAllBytes(pb))).toByteArray());
  }

  private static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path t = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(t);
        } else {
          Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return to;
  }
}
