package dev.modelbridge.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the shared corpus ({@code ../shared/corpus} from the repository root) and lists its ONNX
 * backend test cases.
 *
 * <p>The corpus is kept out of the repository, so a fresh clone has none: callers must check
 * {@link #root()} and skip (JUnit assumptions) rather than fail when it is empty.
 */
public final class Corpus {

  /** System property set by surefire to the repository root. */
  public static final String ROOT_PROPERTY = "modelbridge.root";

  private Corpus() {}

  /** The corpus folder, or empty when it cannot be found. */
  public static Optional<Path> root() {
    return repositoryRoot()
        .map(r -> r.resolve("..").resolve("shared").resolve("corpus").normalize())
        .filter(Files::isDirectory);
  }

  /** {@code onnx-backend} inside the corpus, or empty when absent. */
  public static Optional<Path> onnxBackendRoot() {
    return root().map(r -> r.resolve("onnx-backend")).filter(Files::isDirectory);
  }

  /** The repository root: the surefire property first, else the nearest ancestor that looks like one. */
  static Optional<Path> repositoryRoot() {
    String prop = System.getProperty(ROOT_PROPERTY);
    if (prop != null && !prop.isBlank() && Files.isDirectory(Path.of(prop))) {
      return Optional.of(Path.of(prop).toAbsolutePath().normalize());
    }
    // Running from an IDE, the property is missing; the module folder sits inside the repository,
    // and only the repository root has both a pom and the git folder or README.
    for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("pom.xml"))
          && (Files.exists(p.resolve(".git")) || Files.isRegularFile(p.resolve("README.md")))) {
        return Optional.of(p.normalize());
      }
    }
    return Optional.empty();
  }

  /** Every backend case of every suite, sorted by suite then name; empty when the corpus is absent. */
  public static List<BackendCase> backendCases() {
    List<BackendCase> all = new ArrayList<>();
    for (BackendCase.Suite s : BackendCase.Suite.values()) {
      all.addAll(backendCases(s));
    }
    return all;
  }

  /** The cases of one suite, sorted by name; empty when the corpus or the suite folder is absent. */
  public static List<BackendCase> backendCases(BackendCase.Suite suite) {
    Optional<Path> base = onnxBackendRoot().map(r -> r.resolve(suite.folder())).filter(Files::isDirectory);
    if (base.isEmpty()) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(base.get())) {
      return entries
          .map(p -> toCase(suite, p))
          .flatMap(Optional::stream)
          .sorted(Comparator.comparing(BackendCase::name))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + base.get(), e);
    }
  }

  private static Optional<BackendCase> toCase(BackendCase.Suite suite, Path entry) {
    String file = entry.getFileName().toString();
    if (suite == BackendCase.Suite.LIGHT) {
      // Flat layout: light_X.onnx next to light_X_output_N.pb.
      if (Files.isRegularFile(entry) && file.endsWith(".onnx")) {
        String name = file.substring(0, file.length() - ".onnx".length());
        return Optional.of(new BackendCase(name, suite, entry, entry.getParent()));
      }
      return Optional.empty();
    }
    Path model = entry.resolve("model.onnx");
    if (!Files.isRegularFile(model)) {
      return Optional.empty();
    }
    // ONNX writes one data set per case; take the first, whatever its number, if ever renumbered.
    try (Stream<Path> sets = Files.list(entry)) {
      return sets
          .filter(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith("test_data_set"))
          .min(Comparator.naturalOrder())
          .map(d -> new BackendCase(file, suite, model, d));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + entry, e);
    }
  }
}
