package dev.modelbridge.e2e.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.ModelException;
import dev.modelbridge.e2e.support.BackendCase;
import dev.modelbridge.e2e.support.Corpus;
import dev.modelbridge.format.ReadOptions;
import dev.modelbridge.format.StagedOutput;
import dev.modelbridge.format.WriteOptions;
import dev.modelbridge.ir.Model;
import dev.modelbridge.onnx.OnnxFormat;
import dev.modelbridge.schemas.onnx.ModelProto;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 2 of the foundation: for every corpus model, the rewritten {@code ModelProto} equals the
 * original field by field once both are in the canonical form {@link ProtoCanonicalizer} documents.
 * The original is parsed straight from its bytes by protobuf, independent of our reader.
 */
class OnnxFidelityTest {
  private final OnnxFormat onnx = new OnnxFormat();

  @Test
  void rewrittenModelsEqualTheOriginalsFieldByField(@TempDir Path tmp) throws Exception {
    List<BackendCase> cases = Corpus.backendCases();
    Assumptions.assumeFalse(cases.isEmpty(), "shared corpus not present");
    List<String> differences = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    int equal = 0;
    for (BackendCase c : cases) {
      Path out = tmp.resolve(c.suite().folder() + "-" + c.name() + ".onnx");
      try {
        Model model = onnx.read(c.model(), ReadOptions.defaults());
        try (StagedOutput staged = new StagedOutput(out, false)) {
          onnx.write(model, staged, WriteOptions.defaults());
          staged.commit();
        }
      } catch (ModelException e) {
        refused.add(c.name() + ": " + e.getMessage());
        continue;
      }
      ModelProto original = ProtoCanonicalizer.canonical(parse(c.model()));
      ModelProto rewritten = ProtoCanonicalizer.canonical(parse(out));
      Optional<String> diff = ProtoDiff.firstDifference(original, rewritten);
      if (diff.isPresent()) {
        differences.add(c.suite().folder() + "/" + c.name() + ": " + diff.get());
      } else {
        equal++;
      }
      Files.delete(out);
    }
    System.out.printf("fidelity: %d models, %d equal after canonicalisation, %d differ, %d refused%n",
        cases.size(), equal, differences.size(), refused.size());
    differences.forEach(d -> System.out.println("  differs: " + d));
    refused.forEach(r -> System.out.println("  refused: " + r));
    assertTrue(differences.isEmpty(), "models differ after a round trip:\n" + String.join("\n", differences));
    assertEquals(List.of(), refused, "corpus models the reader refused");
  }

  private static ModelProto parse(Path p) throws Exception {
    try (InputStream in = Files.newInputStream(p)) {
      return ModelProto.parseFrom(in);
    }
  }
}
