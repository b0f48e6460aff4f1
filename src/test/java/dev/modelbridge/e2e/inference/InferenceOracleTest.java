package dev.modelbridge.e2e.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.modelbridge.e2e.support.BackendCase;
import dev.modelbridge.e2e.support.Corpus;
import dev.modelbridge.format.ReadOptions;
import dev.modelbridge.infer.GraphTypes;
import dev.modelbridge.infer.ModelInference;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.OpsetImport;
import dev.modelbridge.onnx.OnnxFormat;
import dev.modelbridge.validate.Finding;
import dev.modelbridge.validate.ModelReport;
import dev.modelbridge.validate.Validator;
import dev.modelbridge.validate.rules.InferenceRules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * ModelBridge's type and shape inference against ONNX's own (python3-onnx 1.12, strict_mode off) on
 * every ONNX backend corpus model with IR version at most 8 and opsets at most 17: both infer the
 * model with its declarations stripped, and every value either agrees, or one side knows more,
 * but no value gets two contradicting answers.
 */
class InferenceOracleTest {

  /**
   * Values where ONNX 1.12 is wrong and we are right, "model-suffix value" to the reason. Empty
   * means every disagreement fails the test.
   */
  private static final Map<String, String> JUSTIFIED = Map.of();

  @Test
  void agreesWithOnnxShapeInference() throws Exception {
    assumeTrue(Corpus.onnxBackendRoot().isPresent(), "the shared corpus is absent");
    assumeTrue(OnnxOracle.available(), "python3-onnx is not installed");
    Map<Path, Model> models = eligibleModels();
    Map<String, Map<String, Map<String, String>>> onnx =
        OnnxOracle.infer(new ArrayList<>(models.keySet()), Path.of("target", "inference-oracle").toAbsolutePath());
    Agreement agreement = new Agreement();
    List<String> failures = new ArrayList<>();
    for (Map.Entry<Path, Model> e : models.entrySet()) {
      String key = e.getKey().toString();
      Map<String, Map<String, String>> theirs = onnx.getOrDefault(key, Map.of());
      if (theirs.containsKey("!error")) {
        continue; // ONNX could not infer the model at all: nothing to compare
      }
      ModelInference ours = ModelInference.infer(Stripped.of(e.getValue()));
      for (GraphTypes g : ours.graphs()) {
        Map<String, String> their = theirs.getOrDefault(g.path(), Map.of());
        java.util.Set<String> names = new java.util.TreeSet<>(their.keySet());
        g.inferred().keySet().forEach(names::add);
        for (String v : names) {
          String where = Corpus.onnxBackendRoot().get().relativize(e.getKey()) + " " + g.path() + " '" + v + "'";
          int before = agreement.disagreements.size();
          agreement.compare(where, g.type(v), Optional.ofNullable(their.get(v)).flatMap(Agreement::parse));
          if (agreement.disagreements.size() > before && !justified(where)) {
            failures.add(agreement.disagreements.get(agreement.disagreements.size() - 1));
          }
        }
      }
    }
    System.out.println("[inference oracle] " + models.size() + " models; " + agreement);
    List<String> report = new ArrayList<>(List.of(models.size() + " models; " + agreement));
    report.addAll(agreement.disagreements);
    report.addAll(agreement.differences);
    java.nio.file.Files.write(Path.of("target", "inference-oracle", "report.txt"), report);
    assertEquals(List.of(), failures, agreement.toString());
  }

  @Test
  void validCorpusModelsHaveNoIncompatibleTypesNorDeclarationsContradictingInference() {
    assumeTrue(Corpus.onnxBackendRoot().isPresent(), "the shared corpus is absent");
    Validator v = Validator.builder().rules(InferenceRules.all()).threads(2).build();
    List<String> found = new ArrayList<>();
    List<BackendCase> cases = Corpus.backendCases();
    // Every backend model, not only those ONNX 1.12 can read: all are valid reference models.
    for (Path p : cases.stream().map(BackendCase::model).toList()) {
      ModelReport r = v.validate(p);
      for (Finding f : r.findings()) {
        // Declared types of these models are ONNX's reference outputs: inference must not contradict them.
        found.add(f.location() + ": " + f.ruleId() + ": " + f.message());
      }
    }
    System.out.println("[inference rules] " + cases.size() + " backend models, findings: " + found.size());
    assertEquals(List.of(), found);
  }

  private static boolean justified(String where) {
    return JUSTIFIED.keySet().stream().anyMatch(where::endsWith);
  }

  /** The corpus's ONNX backend models with IR version at most 8 and every opset at most 17. */
  static Map<Path, Model> eligibleModels() {
    OnnxFormat onnx = new OnnxFormat();
    Map<Path, Model> out = new LinkedHashMap<>();
    for (BackendCase c : Corpus.backendCases()) {
      try {
        Model m = onnx.read(c.model(), ReadOptions.defaults());
        if (m.irVersion() <= 8 && m.opsetImports().stream().mapToLong(OpsetImport::version).allMatch(x -> x <= 17)) {
          out.put(c.model(), m);
        }
      } catch (Exception e) {
        // unreadable models are the reader's tests' business
      }
    }
    return out;
  }
}
