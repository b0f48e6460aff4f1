package dev.modelbridge.e2e.validate;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.modelbridge.e2e.support.Corpus;
import dev.modelbridge.validate.Finding;
import dev.modelbridge.validate.ModelReport;
import dev.modelbridge.validate.Validator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 3, acceptance 2: valid corpus models, each corrupted one way at the protobuf (or byte)
 * level, must be reported under the expected rule id, which the unbroken model does not get. One
 * case per mutation, named after it. Skips when the shared corpus is absent.
 */
class MutationSuiteTest {
  private static final Validator VALIDATOR = Validator.builder().threads(1).build();
  private static final Map<String, ModelReport> BASELINES = new ConcurrentHashMap<>();

  static Stream<Arguments> mutations() {
    return Mutations.all().stream().map(m -> Arguments.of(Named.of(m.name() + " -> " + m.rule(), m)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mutations")
  void mutationIsReported(Mutations.Mutation mutation, @TempDir Path dir) throws Exception {
    Path corpus = Corpus.root().orElse(null);
    assumeTrue(corpus != null, "shared corpus absent");
    Path base = corpus.resolve(mutation.base());
    assumeTrue(Files.isRegularFile(base), () -> "corpus model absent: " + mutation.base());

    ModelReport before = BASELINES.computeIfAbsent(mutation.base(), b -> VALIDATOR.validate(base));
    assertFalse(has(before, mutation.rule()),
        () -> "the unbroken model already has " + mutation.rule() + ": " + before.findings());

    Path broken = dir.resolve(base.getFileName());
    Files.write(broken, mutation.damage().apply(Files.readAllBytes(base)));
    ModelReport after = VALIDATOR.validate(broken);
    assertTrue(has(after, mutation.rule()), () -> "expected " + mutation.rule() + " for '" + mutation.name()
        + "', got:\n" + after.findings().stream().map(Finding::toString).collect(Collectors.joining("\n")));
  }

  private static boolean has(ModelReport report, String rule) {
    return report.findings().stream().anyMatch(f -> f.ruleId().equals(rule));
  }
}
