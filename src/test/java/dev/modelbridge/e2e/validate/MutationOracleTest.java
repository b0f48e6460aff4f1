package dev.modelbridge.e2e.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.modelbridge.e2e.support.Corpus;
import dev.modelbridge.validate.Finding;
import dev.modelbridge.validate.ModelReport;
import dev.modelbridge.validate.Severity;
import dev.modelbridge.validate.Validator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The checker oracle on broken models, not only valid ones: every mutation of the mutation suite
 * that stays within onnx 1.12's range is given to both onnx.checker and our validator. We must
 * reject everything the checker rejects; where we reject more, the reason is recorded here.
 */
class MutationOracleTest {
  /** Mutations that onnx.checker 1.12 passes and we reject, and why we are right to. */
  static final Map<String, String> STRICTER = Map.ofEntries(
      Map.entry("graph output produced by nothing",
          "IR.md: graph outputs must be produced by a node or be inputs/initializers; a runtime cannot bind it"),
      Map.entry("raw_data too short", "the dims call for more bytes than raw_data holds; readers run past the data"),
      Map.entry("float_data shorter than the dims", "the dims call for more elements than float_data holds"),
      Map.entry("default domain imported twice", "IR.md: each domain is imported once; two versions are ambiguous"),
      Map.entry("bfloat16 value in an IR 3 model", "bfloat16 arrived with IR version 4"),
      Map.entry("function output that its body does not produce", "a call would leave that output undefined"),
      Map.entry("MatMul inner dimensions differ", "the checker's shape inference does not fail on it; ONNX Runtime refuses it"),
      Map.entry("external data path climbing out with ../", "the checker does not look at external data when the model is loaded without it"));

  @Test
  void weRejectEverythingTheCheckerRejects() throws Exception {
    Path corpus = Corpus.root().orElse(null);
    assumeTrue(corpus != null, "shared corpus absent");
    assumeTrue(OnnxChecker.present(), "python3-onnx not installed");
    Path dir = Files.createDirectories(Path.of("target", "oracle-mutations"));
    Map<Path, Mutations.Mutation> files = new LinkedHashMap<>();
    int i = 0;
    for (Mutations.Mutation m : Mutations.all()) {
      Path base = corpus.resolve(m.base());
      if (!Files.isRegularFile(base)) {
        continue;
      }
      Path f = Files.createDirectories(dir.resolve("m" + i++)).resolve(base.getFileName());
      Files.write(f, m.damage().apply(Files.readAllBytes(base)));
      files.put(f, m);
    }
    Map<String, String[]> checker = OnnxChecker.run(new ArrayList<>(files.keySet()), dir);
    Validator validator = Validator.builder().threads(1).build();
    List<String> missed = new ArrayList<>();
    List<String> unexplained = new ArrayList<>();
    int compared = 0;
    System.out.println("mutation | onnx.checker 1.12 | ModelBridge");
    for (Map.Entry<Path, Mutations.Mutation> e : files.entrySet()) {
      String[] row = checker.get(e.getKey().toString());
      if (row[1].equals("skip")) {
        continue;
      }
      compared++;
      ModelReport ours = validator.validate(e.getKey());
      boolean checkerOk = row[1].equals("ok");
      String name = e.getValue().name();
      System.out.printf(Locale.ROOT, "%s | %s | %s%n", name, checkerOk ? "valid" : "invalid",
          ours.valid() ? "valid" : "invalid (" + errors(ours) + ")");
      if (!checkerOk && ours.valid()) {
        missed.add(name + ": checker says " + row[4]);
      } else if (checkerOk && !ours.valid() && !STRICTER.containsKey(name)) {
        unexplained.add(name + ": we say " + errors(ours));
      }
    }
    System.out.printf(Locale.ROOT, "mutation oracle: %d mutated models compared with onnx.checker%n", compared);
    assertEquals(List.of(), missed, "broken models the checker rejects but we pass");
    assertEquals(List.of(), unexplained, "models we reject beyond the checker without a recorded reason");
  }

  private static String errors(ModelReport r) {
    return r.findings().stream().filter(f -> f.severity() == Severity.ERROR).map(Finding::ruleId).distinct()
        .collect(Collectors.joining(", "));
  }
}
