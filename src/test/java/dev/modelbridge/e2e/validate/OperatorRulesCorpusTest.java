package dev.modelbridge.e2e.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.modelbridge.ModelException;
import dev.modelbridge.api.ModelBridge;
import dev.modelbridge.e2e.support.BackendCase;
import dev.modelbridge.e2e.support.Corpus;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.OpsetImport;
import dev.modelbridge.schema.OpSchemaRegistry;
import dev.modelbridge.validate.Finding;
import dev.modelbridge.validate.ModelReport;
import dev.modelbridge.validate.Validator;
import dev.modelbridge.validate.rules.OperatorRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The ONNX backend test models are valid models: the operator rules must find nothing on any of
 * them whose operator sets the schema table covers, except the findings listed in
 * {@link #EXPECTED} with the reason each is right.
 */
class OperatorRulesCorpusTest {

  /** Backend case name to the rule id it is expected to raise, and why. */
  static final Map<String, String> EXPECTED = Map.of();

  @Test
  void backendModelsHaveNoOperatorFindings() throws ModelException {
    List<BackendCase> cases = Corpus.backendCases();
    assumeTrue(!cases.isEmpty(), "shared corpus not found; skipping");
    ModelBridge bridge = ModelBridge.create();
    OpSchemaRegistry registry = OpSchemaRegistry.onnx();
    Validator validator = Validator.builder().rules(OperatorRules.all()).threads(1).build();
    Map<String, List<String>> unexpected = new TreeMap<>();
    List<String> skipped = new ArrayList<>();
    int checked = 0;
    for (BackendCase c : cases) {
      Model m = bridge.read(c.model());
      if (!covered(registry, m)) {
        skipped.add(c.name());
        continue;
      }
      checked++;
      ModelReport report = validator.validate(c.model());
      for (Finding f : report.findings()) {
        String key = c.suite() + "/" + c.name();
        if (!f.ruleId().equals(EXPECTED.get(c.name()))) {
          unexpected.computeIfAbsent(key, k -> new ArrayList<>()).add(f.toString());
        }
      }
    }
    System.out.printf("operator rules over the backend corpus: %d models checked, %d skipped (opsets newer"
        + " than the table: %s), %d with findings%n", checked, skipped.size(), skipped, unexpected.size());
    assertTrue(checked > 1000, "only " + checked + " backend models checked");
    StringBuilder b = new StringBuilder();
    unexpected.forEach((k, v) -> b.append(k).append(":\n  ").append(String.join("\n  ", v)).append('\n'));
    assertEquals("", b.toString());
  }

  /** Whether every imported domain the table knows is imported at a version the table covers. */
  private static boolean covered(OpSchemaRegistry registry, Model m) {
    for (OpsetImport o : m.opsetImports()) {
      if (registry.knowsDomain(o.domain())
          && o.version() > registry.latestVersion(o.domain()).orElse(Integer.MAX_VALUE)) {
        return false;
      }
    }
    return true;
  }
}
