package dev.modelbridge.e2e.inference;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs ONNX's own shape inference (Debian's python3-onnx) once over many models and reads back the
 * table it writes: model -> graph path -> value name -> type text (see onnx_infer_tsv.py).
 */
final class OnnxOracle {
  static final String PYTHON = "/usr/bin/python3";

  private OnnxOracle() {}

  /** Whether python3-onnx can be imported. */
  static boolean available() {
    try {
      Process p = new ProcessBuilder(PYTHON, "-c", "import onnx").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Infers every model in {@code models}, working in {@code dir}; keyed by the model path as given. */
  static Map<String, Map<String, Map<String, String>>> infer(List<Path> models, Path dir)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path script = dir.resolve("onnx_infer_tsv.py");
    try (InputStream in = OnnxOracle.class.getResourceAsStream("/inference/onnx_infer_tsv.py")) {
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    Path list = dir.resolve("models.txt");
    Files.write(list, models.stream().map(Path::toString).toList(), StandardCharsets.UTF_8);
    Path tsv = dir.resolve("onnx-inferred.tsv");
    Path log = dir.resolve("python.log");
    Process p = new ProcessBuilder(PYTHON, script.toString(), list.toString(), tsv.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(20, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("the ONNX oracle failed; see " + log + ":\n" + Files.readString(log));
    }
    Map<String, Map<String, Map<String, String>>> out = new HashMap<>();
    for (String line : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
      String[] f = line.split("\t", -1);
      if (f.length == 4) {
        out.computeIfAbsent(f[0], k -> new HashMap<>()).computeIfAbsent(f[1], k -> new HashMap<>())
            .put(f[2], f[3]);
      }
    }
    return out;
  }
}
