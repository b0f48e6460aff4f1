package dev.modelbridge.e2e.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.modelbridge.e2e.support.BackendCase;
import dev.modelbridge.e2e.support.Corpus;
import dev.modelbridge.validate.Finding;
import dev.modelbridge.validate.ModelReport;
import dev.modelbridge.validate.Rule;
import dev.modelbridge.validate.Severity;
import dev.modelbridge.validate.Validator;
import dev.modelbridge.validate.rules.StructureRules;
import dev.modelbridge.validate.rules.TensorRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The structure and tensor rules against the independent oracle: no corpus model that Debian's
 * onnx 1.12 {@code onnx.checker.check_model(full_check=True)} accepts (as recorded in the corpus
 * manifest) may get an error from them. Skips when the corpus is absent.
 */
class StructureRulesCorpusTest {

  @Test
  void checkerValidModelsGetNoStructureOrTensorErrors() throws IOException {
    Path root = Corpus.root().orElse(null);
    assumeTrue(root != null, "shared corpus absent");
    Set<String> accepted = acceptedByChecker(root.resolve("MANIFEST.tsv"));
    assumeTrue(!accepted.isEmpty(), "the manifest records no checker verdicts");
    List<Rule> rules = new ArrayList<>(StructureRules.all());
    rules.addAll(TensorRules.all());
    Validator validator = Validator.builder().rules(rules).build();
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (BackendCase c : Corpus.backendCases()) {
      String key = "onnx-backend/" + c.suite().folder() + "/" + c.name()
          + (c.suite() == BackendCase.Suite.LIGHT ? ".onnx" : "");
      if (!accepted.contains(key)) {
        continue;
      }
      checked++;
      ModelReport r = validator.validate(c.model());
      for (Finding f : r.findings()) {
        if (f.severity() == Severity.ERROR) {
          wrong.add(c.name() + ": " + f);
        }
      }
    }
    assertEquals(List.of(), wrong, "errors on " + wrong.size() + " findings among " + checked + " accepted models");
  }

  private static Set<String> acceptedByChecker(Path manifest) throws IOException {
    Set<String> out = new HashSet<>();
    if (!Files.isRegularFile(manifest)) {
      return out;
    }
    for (String line : Files.readAllLines(manifest)) {
      String[] cols = line.split("\t");
      if (cols.length > 1 && cols[cols.length - 1].contains("checker: PASS")) {
        out.add(cols[0]);
      }
    }
    return out;
  }
}
