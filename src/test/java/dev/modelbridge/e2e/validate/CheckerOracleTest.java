package dev.modelbridge.e2e.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.modelbridge.e2e.support.Corpus;
import dev.modelbridge.validate.Finding;
import dev.modelbridge.validate.ModelReport;
import dev.modelbridge.validate.Severity;
import dev.modelbridge.validate.ValidationReport;
import dev.modelbridge.validate.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 3, acceptance 1: our valid-or-invalid verdict (valid = no error finding) against two
 * independent oracles on the shared corpus.
 * <ul>
 *   <li>Debian's python3-onnx 1.12 {@code onnx.checker.check_model(model, full_check=True)}, on every
 *       ONNX model with IR version at most 8 and every opset at most 17 (what that release knows).
 *       Python runs once for all models; its TSV is left in {@code target/oracle/}.
 *   <li>ONNX Runtime: a model whose session ORT refuses to create for a structural reason
 *       ({@link OrtSessionProbe#structural}) must be reported invalid.
 * </ul>
 * Every disagreement is printed with both sides' messages before the assertion.
 */
class CheckerOracleTest {
  private static final Path OUT = Path.of("target", "oracle");
  private static Map<String, ModelReport> ours;

  @Test
  void verdictsAgreeWithOnnxChecker() throws Exception {
    assumeTrue(Corpus.root().isPresent(), "shared corpus not found; skipping");
    assumeTrue(OnnxChecker.present(), "python3-onnx not installed; skipping");
    List<Path> models = onnxModels();
    Map<String, String[]> checker = OnnxChecker.run(models, OUT);
    Map<String, ModelReport> verdicts = ourVerdicts();

    int bothValid = 0;
    int bothInvalid = 0;
    int skipped = 0;
    List<String> weMissed = new ArrayList<>();
    List<String> weAlone = new ArrayList<>();
    for (Path p : models) {
      String[] row = checker.get(p.toString());
      if (row == null) {
        throw new AssertionError("the checker script wrote no line for " + p);
      }
      if (row[1].equals("skip")) {
        skipped++;
        continue;
      }
      boolean checkerValid = row[1].equals("ok");
      ModelReport r = verdicts.get(p.toString());
      if (r == null) {
        throw new AssertionError("validate did not report " + p);
      }
      if (checkerValid == r.valid()) {
        if (checkerValid) {
          bothValid++;
        } else {
          bothInvalid++;
        }
      } else if (checkerValid) {
        weAlone.add(p + "\n    onnx.checker: ok\n    ours: " + errors(r));
      } else {
        weMissed.add(p + "\n    onnx.checker: " + row[4] + "\n    ours: valid" + warnings(r));
      }
    }
    int compared = bothValid + bothInvalid + weMissed.size() + weAlone.size();
    System.out.printf(Locale.ROOT, "onnx.checker oracle: %d ONNX models, %d compared (IR <= 8, opsets <= 17), %d skipped;"
        + " agree on %d (%d valid, %d invalid); checker invalid but ours valid: %d; ours invalid but checker ok: %d%n",
        models.size(), compared, skipped, bothValid + bothInvalid, bothValid, bothInvalid, weMissed.size(),
        weAlone.size());
    weMissed.forEach(d -> System.out.println("MISSED " + d));
    weAlone.forEach(d -> System.out.println("EXTRA " + d));
    assertTrue(compared > 0, "no model was within the checker's range");
    assertEquals(List.of(), weMissed, "models onnx.checker rejects but we pass");
    assertEquals(List.of(), weAlone, "models we reject but onnx.checker passes");
  }

  @Test
  void modelsOrtRefusesForStructuralReasonsAreInvalid() throws Exception {
    assumeTrue(Corpus.root().isPresent(), "shared corpus not found; skipping");
    List<Path> models = onnxModels();
    Map<String, ModelReport> verdicts = ourVerdicts();
    Map<String, List<String>> structural = new TreeMap<>();
    Map<String, List<String>> contradicted = new TreeMap<>();
    Map<String, List<String>> other = new TreeMap<>();
    List<String> missed = new ArrayList<>();
    String version;
    try (OrtSessionProbe ort = new OrtSessionProbe()) {
      version = ort.version();
      for (Path p : models) {
        Optional<String> refusal = ort.refusal(p);
        if (refusal.isEmpty()) {
          continue;
        }
        String reason = refusal.get();
        boolean isStructural = OrtSessionProbe.structural(reason);
        boolean specAllows = OrtSessionProbe.SPEC_DISAGREEMENTS.stream().anyMatch(d -> reason.contains(d.fragment()));
        (isStructural ? structural : specAllows ? contradicted : other)
            .computeIfAbsent(group(reason), k -> new ArrayList<>()).add(p.toString());
        ModelReport r = verdicts.get(p.toString());
        if (isStructural && r.valid()) {
          missed.add(p + "\n    ORT: " + reason + "\n    ours: valid" + warnings(r));
        }
      }
    }
    System.out.printf(Locale.ROOT, "ONNX Runtime %s refuses %d of %d corpus models: %d structurally, %d where the ONNX"
        + " spec allows the model, %d for runtime limits; structural refusals we pass: %d%n", version,
        count(structural) + count(contradicted) + count(other), models.size(), count(structural), count(contradicted),
        count(other), missed.size());
    print("structural refusals", structural);
    print("refusals the ONNX specification contradicts (not judged)", contradicted);
    print("runtime-limit refusals (not judged)", other);
    missed.forEach(d -> System.out.println("MISSED " + d));
    assertEquals(List.of(), missed, "models ONNX Runtime refuses as invalid but we pass");
  }

  private static synchronized Map<String, ModelReport> ourVerdicts() {
    if (ours == null) {
      long start = System.nanoTime();
      ValidationReport report = Validator.builder().build().validate(List.of(Corpus.root().orElseThrow()));
      System.out.printf(Locale.ROOT, "validated %d corpus models in %.1f s%n", report.models().size(),
          (System.nanoTime() - start) / 1e9);
      ours = new LinkedHashMap<>();
      report.models().forEach(m -> ours.put(m.file(), m));
    }
    return ours;
  }

  private static List<Path> onnxModels() throws IOException {
    try (Stream<Path> all = Files.walk(Corpus.root().orElseThrow())) {
      return all.filter(p -> p.getFileName().toString().endsWith(".onnx") && Files.isRegularFile(p)).sorted().toList();
    }
  }

  private static String errors(ModelReport r) {
    return r.findings().stream().filter(f -> f.severity() == Severity.ERROR).limit(5).map(Finding::toString)
        .collect(Collectors.joining("\n          "));
  }

  private static String warnings(ModelReport r) {
    String w = r.findings().stream().limit(3).map(Finding::toString).collect(Collectors.joining("; "));
    return w.isEmpty() ? "" : " (" + w + ")";
  }

  /** A refusal with names and numbers blanked, to group models that fail the same way. */
  private static String group(String reason) {
    return reason.replaceAll("'[^']*'", "'_'").replaceAll("\\([^()]*\\)", "(_)").replaceAll("\\d+", "N");
  }

  private static int count(Map<String, List<String>> groups) {
    return groups.values().stream().mapToInt(List::size).sum();
  }

  private static void print(String title, Map<String, List<String>> groups) {
    System.out.println(title + ":");
    groups.forEach((reason, files) -> System.out.printf(Locale.ROOT, "  %4d  %s%n        e.g. %s%n", files.size(),
        reason, files.get(0)));
  }
}
