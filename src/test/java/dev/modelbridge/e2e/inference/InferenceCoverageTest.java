package dev.modelbridge.e2e.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.modelbridge.e2e.support.BackendCase;
import dev.modelbridge.e2e.support.Corpus;
import dev.modelbridge.format.ReadOptions;
import dev.modelbridge.infer.HandlerTable;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Node;
import dev.modelbridge.onnx.OnnxFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The ops inference must cover: the 100 ops used by the most ONNX backend corpus models (all suites,
 * nested graphs and functions included), and every op of the light CNNs. Writes the ranked list with
 * the covered/uncovered split to target/inference-oracle/coverage.txt.
 */
class InferenceCoverageTest {

  @Test
  void coversTheMostUsedOpsAndEveryOpOfTheLightCnns() throws Exception {
    assumeTrue(Corpus.onnxBackendRoot().isPresent(), "the shared corpus is absent");
    OnnxFormat onnx = new OnnxFormat();
    Map<String, Integer> modelsUsing = new HashMap<>();
    Set<String> light = new TreeSet<>();
    for (BackendCase c : Corpus.backendCases()) {
      Model m;
      try {
        m = onnx.read(c.model(), ReadOptions.defaults());
      } catch (Exception e) {
        continue;
      }
      Set<String> ops = new HashSet<>();
      collect(m.graph(), ops);
      m.functions().forEach(f -> f.nodes().forEach(n -> ops.add(key(n))));
      ops.forEach(op -> modelsUsing.merge(op, 1, Integer::sum));
      if (c.suite() == BackendCase.Suite.LIGHT) {
        light.addAll(ops);
      }
    }
    List<String> ranked = new ArrayList<>(modelsUsing.keySet());
    ranked.sort(Comparator.comparing((String op) -> -modelsUsing.get(op)).thenComparing(op -> op));
    HandlerTable table = HandlerTable.standard();
    List<String> required = new ArrayList<>(ranked.subList(0, Math.min(100, ranked.size())));
    light.stream().filter(op -> !required.contains(op)).forEach(required::add);
    List<String> lines = new ArrayList<>();
    List<String> uncovered = new ArrayList<>();
    for (int i = 0; i < ranked.size(); i++) {
      String op = ranked.get(i);
      boolean covered = table.ops().contains(op);
      boolean needed = required.contains(op);
      if (needed && !covered) {
        uncovered.add(op);
      }
      lines.add((i + 1) + "\t" + op + "\t" + modelsUsing.get(op) + " models\t" + (covered ? "covered" : "uncovered")
          + (needed ? "\trequired" + (light.contains(op) ? " (light CNN)" : "") : ""));
    }
    Path out = Path.of("target", "inference-oracle", "coverage.txt");
    Files.createDirectories(out.getParent());
    Files.write(out, lines);
    long coveredAll = ranked.stream().filter(table.ops()::contains).count();
    System.out.println("[inference coverage] " + ranked.size() + " ops in the corpus, " + coveredAll
        + " covered; required " + required.size() + ", uncovered required: " + uncovered);
    assertEquals(List.of(), uncovered);
  }

  private static void collect(Graph g, Set<String> ops) {
    for (Node n : g.nodes()) {
      ops.add(key(n));
      n.subgraphs().forEach(s -> collect(s, ops));
    }
  }

  private static String key(Node n) {
    return ("ai.onnx".equals(n.domain()) ? "" : n.domain()) + ":" + n.opType();
  }
}
