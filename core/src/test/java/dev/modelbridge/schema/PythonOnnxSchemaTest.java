package dev.modelbridge.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Cross-checks the operator table against an independent source: the schema API of Debian's
 * python3-onnx 1.12 (ai.onnx opsets up to 17, ai.onnx.ml up to 3, ai.onnx.preview.training 1).
 * Skips when {@code /usr/bin/python3 -c "import onnx"} fails.
 *
 * <p>Every schema python knows must exist in ours with the same since-version and agree on
 * arity, inputs and outputs, attributes (type, required, default) and type constraints, except
 * the differences listed in {@link #KNOWN}, which are changes ONNX made to the definitions after
 * 1.12 (the docs we generate from are newer).
 */
class PythonOnnxSchemaTest {
  private static final String PYTHON = "/usr/bin/python3";

  /** "domain Op-N" to the reason it differs from onnx 1.12. */
  static final Map<String, String> KNOWN = Map.of(
      "ai.onnx Erf-13", "ONNX later dropped the integer types from Erf-13's T (the docs list float types only)",
      "ai.onnx GridSample-16", "1.12 swapped the type variables of grid and Y; ONNX fixed it to grid: T2, Y: T1",
      "ai.onnx Scatter-11", "deprecated version: the docs give no signature, python keeps Scatter-9's",
      "ai.onnx Upsample-10", "deprecated version: the docs give no signature, python keeps Upsample-9's");

  @Test
  void agreesWithPythonOnnx() throws Exception {
    List<String> dump = runPython();
    assumeTrue(dump != null, "python3-onnx is not installed");
    List<OpSchema> theirs = OpSchemaFormat.read(dump).schemas();
    OpSchemaRegistry ours = OpSchemaRegistry.onnx();
    Map<String, List<String>> differences = new TreeMap<>();
    int agree = 0;
    for (OpSchema t : theirs) {
      String key = t.domain() + " " + t.name() + "-" + t.sinceVersion();
      OpSchema o = ours.versions(t.domain(), t.name()).stream()
          .filter(s -> s.sinceVersion() == t.sinceVersion()).findFirst().orElse(null);
      List<String> d = o == null ? List.of("missing in ours") : SchemaDiff.diff(o, t);
      if (d.isEmpty()) {
        agree++;
      } else {
        differences.put(key, d);
      }
    }
    // The other way round: every version of ours that python 1.12 should know.
    for (OpSchema o : ours.all()) {
      int pythonLatest = switch (o.domain()) {
        case "ai.onnx" -> 17;
        case "ai.onnx.ml" -> 3;
        case "ai.onnx.preview.training" -> 1;
        default -> 0;
      };
      boolean known = theirs.stream().anyMatch(t -> t.domain().equals(o.domain())
          && t.name().equals(o.name()) && t.sinceVersion() == o.sinceVersion());
      if (o.sinceVersion() <= pythonLatest && !known) {
        differences.put(o.domain() + " " + o.name() + "-" + o.sinceVersion(), List.of("missing in python"));
      }
    }
    StringBuilder report = new StringBuilder();
    differences.forEach((k, v) -> report.append(k).append(": ").append(v).append('\n'));
    System.out.printf("python3-onnx 1.12 agreement: %d of %d schemas agree in every field%n%s",
        agree, theirs.size(), report);
    Map<String, List<String>> unexplained = new TreeMap<>(differences);
    unexplained.keySet().removeAll(KNOWN.keySet());
    assertEquals(Map.of(), unexplained, "differences from python3-onnx 1.12 not explained in KNOWN");
    List<String> stale = new ArrayList<>(KNOWN.keySet());
    stale.removeAll(differences.keySet());
    assertEquals(List.of(), stale, "KNOWN lists differences that are gone");
  }

  private static List<String> runPython() throws IOException, InterruptedException {
    if (!Files.isExecutable(Path.of(PYTHON))) {
      return null;
    }
    Path script = Files.createTempFile("dump_onnx_schemas", ".py");
    try (InputStream in = PythonOnnxSchemaTest.class.getResourceAsStream("dump_onnx_schemas.py")) {
      Files.write(script, in.readAllBytes());
    }
    try {
      Process p = new ProcessBuilder(PYTHON, script.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return null;
      }
      return List.of(new String(out, StandardCharsets.UTF_8).split("\n"));
    } finally {
      Files.deleteIfExists(script);
    }
  }
}
