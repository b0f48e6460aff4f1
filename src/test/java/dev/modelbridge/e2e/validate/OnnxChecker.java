package dev.modelbridge.e2e.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's python3-onnx 1.12 {@code onnx.checker.check_model(full_check=True)}, the validator's
 * independent oracle, run once over many models by {@code oracle/onnx_checker.py}.
 */
final class OnnxChecker {
  private OnnxChecker() {}

  /** One row per model: {path, verdict (ok, error, skip), ir, opsets, message}. */
  static Map<String, String[]> run(List<Path> models, Path workDir) throws Exception {
    Files.createDirectories(workDir);
    Path script = workDir.resolve("onnx_checker.py");
    try (InputStream in = OnnxChecker.class.getResourceAsStream("/oracle/onnx_checker.py")) {
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    Path list = Files.write(workDir.resolve("models.txt"), models.stream().map(Path::toString).toList());
    Path tsv = workDir.resolve("onnx-checker.tsv");
    Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), list.toString(), tsv.toString())
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "the checker script did not finish");
    assertEquals(0, p.exitValue(), "the checker script failed:\n" + output);
    System.out.print(output);
    Map<String, String[]> rows = new LinkedHashMap<>();
    for (String line : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
      String[] cols = line.split("\t", -1);
      rows.put(cols[0], cols);
    }
    return rows;
  }

  static boolean present() {
    try {
      Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import onnx").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }
}
