package dev.modelbridge.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelbridge.validate.Finding;
import dev.modelbridge.validate.Location;
import dev.modelbridge.validate.ModelReport;
import dev.modelbridge.validate.Severity;
import dev.modelbridge.validate.ValidationReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How findings of each severity reach the build log and the failure message. */
class FindingsTest {
  final Path base = Path.of("/srv/project");

  ValidationReport report() {
    String file = "/srv/project/src/main/resources/m.onnx";
    Location node = new Location(file, "main", "conv1", "input 1 'W'");
    return new ValidationReport(List.of(
        new ModelReport(file, "onnx", List.of(
            new Finding("hygiene.unused-input", Severity.WARNING, Location.ofFile(file).inGraph("main"),
                "graph input 'mask' is never read"),
            new Finding("op.type-constraint", Severity.ERROR, node, "input 1 'W' of Conv is int64")), Duration.ZERO),
        new ModelReport("/elsewhere/n.onnx", "onnx", List.of(), Duration.ZERO)),
        List.of(), Duration.ofMillis(12));
  }

  @Test
  void eachFindingIsLoggedAtItsSeverity() {
    RecordingLog log = new RecordingLog();
    new Findings(base, log).log(report());
    assertEquals(List.of("src/main/resources/m.onnx: graph 'main': node conv1: input 1 'W': "
        + "input 1 'W' of Conv is int64 [op.type-constraint]"), log.at("ERROR"));
    assertEquals(List.of("src/main/resources/m.onnx: graph 'main': graph input 'mask' is never read "
        + "[hygiene.unused-input]"), log.at("WARN"));
    assertEquals(List.of("ModelBridge checked 2 model files in 12 ms: 1 error, 1 warning"), log.at("INFO"));
  }

  @Test
  void theFailureMessageCountsAndNamesTheFiles() {
    Findings f = new Findings(base, new RecordingLog());
    assertEquals("ModelBridge found 1 error, 1 warning in 1 of 2 model files (the build fails on warnings and "
        + "errors): src/main/resources/m.onnx", f.failureMessage(report(), Severity.WARNING));
  }

  @Test
  void filesOutsideTheProjectKeepTheirFullPath() {
    assertEquals("/elsewhere/n.onnx", Findings.relative(base, Path.of("/elsewhere/n.onnx")));
  }
}
