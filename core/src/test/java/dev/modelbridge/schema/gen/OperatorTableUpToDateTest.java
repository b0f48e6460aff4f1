package dev.modelbridge.schema.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The committed operator table is what {@link SchemaGenerator} writes from the ONNX reference
 * today. With {@code -Dmodelbridge.writeSchemas=true} it rewrites the table instead.
 */
class OperatorTableUpToDateTest {

  @Test
  void committedTableMatchesTheReference() throws IOException {
    Path root = repositoryRoot();
    Path changelog = root.resolve("../shared/reference/onnx-spec/Changelog.md").normalize();
    assumeTrue(Files.isRegularFile(changelog), "no ONNX reference at " + changelog);
    Path table = root.resolve("core/src/main/resources/dev/modelbridge/schema/onnx-operators.tsv");
    List<String> generated = SchemaGenerator.generate(changelog);
    if (Boolean.getBoolean("modelbridge.writeSchemas")) {
      Files.write(table, generated, StandardCharsets.UTF_8);
    }
    List<String> committed = Files.readAllLines(table, StandardCharsets.UTF_8);
    assertEquals(String.join("\n", generated), String.join("\n", committed),
        "the operator table is stale: rerun SchemaGenerator (see its Javadoc)");
  }

  static Path repositoryRoot() {
    String prop = System.getProperty("modelbridge.root");
    if (prop != null && !prop.isBlank() && Files.isDirectory(Path.of(prop))) {
      return Path.of(prop).toAbsolutePath().normalize();
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("core")) && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find the repository root");
  }
}
