package dev.modelbridge.e2e.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One ONNX backend test case of the shared corpus.
 *
 * <p>Two layouts exist. {@code node} and {@code simple} cases are folders holding
 * {@code model.onnx} and {@code test_data_set_0/input_N.pb, output_N.pb}. {@code light} cases are
 * flat files {@code light_X.onnx} with {@code light_X_output_N.pb} and no input files: ONNX's own
 * runner synthesizes their inputs, so {@link #syntheticInputs()} tells {@link ReferenceData} to do
 * the same.
 *
 * @param name the test name, e.g. {@code test_abs} or {@code light_resnet50}
 * @param suite which corpus folder the case comes from
 * @param model the model file; open it by path, since a model may reference external data next to it
 * @param dataDir the folder holding the reference {@code .pb} files
 */
public record BackendCase(String name, Suite suite, Path model, Path dataDir) {

  /** The corpus folders under {@code onnx-backend/}. */
  public enum Suite {
    NODE("node"),
    SIMPLE("simple"),
    LIGHT("light");

    private final String folder;

    Suite(String folder) {
      this.folder = folder;
    }

    public String folder() {
      return folder;
    }
  }

  /** True when the corpus holds no input files and inputs must be generated as ONNX's runner does. */
  public boolean syntheticInputs() {
    return suite == Suite.LIGHT;
  }

  /** The reference file of input {@code index}, or empty when there is none. */
  public Optional<Path> inputFile(int index) {
    if (syntheticInputs()) {
      return Optional.empty();
    }
    Path p = dataDir.resolve("input_" + index + ".pb");
    return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
  }

  /** The reference file of output {@code index}, or empty when there is none. */
  public Optional<Path> outputFile(int index) {
    Path p = syntheticInputs()
        ? dataDir.resolve(name + "_output_" + index + ".pb")
        : dataDir.resolve("output_" + index + ".pb");
    return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
  }

  @Override
  public String toString() {
    return suite.folder() + "/" + name;
  }
}
