package dev.modelbridge.e2e.atomic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.cli.Main;
import dev.modelbridge.e2e.scale.ScaleModelGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A conversion stopped midway, in a separate JVM, leaves no partial output and the earlier output
 * intact: stopped politely (SIGTERM), it removes its temporary files itself; killed outright
 * (SIGKILL), its hidden temporaries are swept by the next conversion to the same output.
 */
class InterruptedConversionTest {
  private static final Path EXAMPLE =
      Path.of(System.getProperty("modelbridge.root", "../.."), "examples/models/tiny-cnn.onnx");

  @Test
  void stoppedConversionKeepsTheEarlierOutput(@TempDir Path tmp) throws Exception {
    interruptMidway(tmp, false);
  }

  @Test
  void killedConversionKeepsTheEarlierOutputAndItsLeftoversAreSwept(@TempDir Path tmp) throws Exception {
    interruptMidway(tmp, true);
  }

  private static void interruptMidway(Path tmp, boolean kill) throws Exception {
    // 768 MiB of weights: long enough to write that the conversion can be caught midway.
    ScaleModelGenerator.Generated big = ScaleModelGenerator.generate(tmp.resolve("in"), 12, 4096, 7);
    Path out = Files.createDirectories(tmp.resolve("out")).resolve("model.onnx");
    assertEquals(0, Main.run("convert", EXAMPLE.toString(), "--to", "onnx", "--external-data", "-o", out.toString()));
    byte[] earlierModel = Files.readAllBytes(out);
    byte[] earlierData = Files.readAllBytes(Path.of(out + ".data"));

    Process p = new ProcessBuilder(javaBin(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "convert", big.model().toString(), "--to", "onnx", "--external-data",
        "--force", "-o", out.toString())
        .redirectErrorStream(true)
        .redirectOutput(tmp.resolve("child.log").toFile())
        .start();
    assertTrue(waitForPartialOutput(out.getParent(), p), "the conversion never started writing");
    if (kill) {
      p.destroyForcibly();
    } else {
      p.destroy();
    }
    p.waitFor();

    assertArrayEquals(earlierModel, Files.readAllBytes(out), "the earlier model file changed");
    assertArrayEquals(earlierData, Files.readAllBytes(Path.of(out + ".data")), "the earlier side file changed");
    if (kill) {
      assertFalse(temporaries(out.getParent()).isEmpty(), "SIGKILL leaves hidden temporaries behind");
      assertEquals(0, Main.run("convert", EXAMPLE.toString(), "--to", "onnx", "--external-data", "--force",
          "-o", out.toString()));
    }
    assertEquals(List.of(), temporaries(out.getParent()), "temporary files remain");
  }

  /** Waits until a temporary output file holds bytes, while the child still runs. */
  private static boolean waitForPartialOutput(Path dir, Process p) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline && p.isAlive()) {
      for (Path t : temporaries(dir)) {
        if (Files.exists(t) && Files.size(t) > 0) {
          return true;
        }
      }
      Thread.sleep(2);
    }
    return false;
  }

  private static List<Path> temporaries(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return new ArrayList<>(files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList());
    }
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
