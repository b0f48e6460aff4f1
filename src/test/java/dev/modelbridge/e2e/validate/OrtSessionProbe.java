package dev.modelbridge.e2e.validate;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Asks ONNX Runtime only to create a session for a model (load, resolve the graph, pick kernels),
 * never to run it, and sorts its refusals into structural ones (the model breaks ONNX's rules) and
 * the others (the runtime is too old, lacks a kernel, or fails in a rewrite of its own).
 *
 * <p>The rule, in order:
 * <ol>
 *   <li>Structural candidates: ORT says the model or graph is invalid ({@code ORT_INVALID_GRAPH},
 *       {@code ORT_INVALID_PROTOBUF}, "This is an invalid model", including "No Op registered for
 *       X with domain_version of N"), or graph resolution fails in ONNX's own shape or type
 *       inference ({@code [ShapeInferenceError]}, {@code [TypeInferenceError]}).
 *   <li>Not structural, whatever the wording: limits of this runtime. An IR version or opset newer
 *       than it supports, a missing kernel ({@code ORT_NOT_IMPLEMENTED}, "Could not find an
 *       implementation"), a type it does not register, an op of a domain it does not ship
 *       (ai.onnx.preview.training), failures constructing a kernel ("Exception during
 *       initialization") and type errors on nodes ORT inserted itself
 *       ({@code InsertedPrecisionFreeCast_...}): none of these carries a structural marker.
 *   <li>Not structural: the {@link #SPEC_DISAGREEMENTS}, checks in ORT's bundled ONNX that the
 *       current ONNX specification no longer makes, each with the spec text that allows the model.
 * </ol>
 */
final class OrtSessionProbe implements AutoCloseable {
  private static final Pattern STRUCTURAL = Pattern.compile(
      "ORT_INVALID_GRAPH|ORT_INVALID_PROTOBUF|This is an invalid model|ShapeInferenceError|TypeInferenceError");
  private static final Pattern VERSION_LIMIT = Pattern.compile(
      "(?i)unsupported model ir version|max supported ir version|is under development|official support for domain"
          + "|could not find an implementation|ORT_NOT_IMPLEMENTED|InsertedPrecisionFreeCast");

  /** An ORT refusal the ONNX specification contradicts: a fragment of ORT's message, and why the model is valid. */
  record SpecDisagreement(String fragment, String why) {}

  static final List<SpecDisagreement> SPEC_DISAGREEMENTS = List.of(
      new SpecDisagreement("is_onesided and inverse attributes cannot be enabled at the same time",
          "DFT (opset 17 and 20): \"When onesided=1 and inverse=1 (inverse DFT), only complex input is supported and"
              + " a full real signal is returned (IRFFT)\" (Changelog.md, DFT-17 and DFT-20); ORT's shape inference"
              + " predates IRFFT"));

  private final OrtEnvironment env;
  private final OrtSession.SessionOptions options;

  OrtSessionProbe() throws OrtException {
    try {
      // ORT unpacks its native library into java.io.tmpdir, which surefire points at target/tmp.
      Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, "modelbridge-validate-oracle");
    options = new OrtSession.SessionOptions();
    options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
    options.setIntraOpNumThreads(1);
    options.setInterOpNumThreads(1);
    // Graph optimisers can fail on their own account; the question is whether the model loads.
    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
  }

  String version() {
    return env.getVersion();
  }

  /** Why ORT will not create a session for the model, or empty when it does. */
  Optional<String> refusal(Path model) {
    try (OrtSession s = env.createSession(model.toString(), options)) {
      return Optional.empty();
    } catch (OrtException e) {
      return Optional.of(reason(e.getMessage()));
    }
  }

  /** Whether a refusal blames the model's structure rather than the runtime (see the class comment). */
  static boolean structural(String reason) {
    return STRUCTURAL.matcher(reason).find() && !VERSION_LIMIT.matcher(reason).find()
        && SPEC_DISAGREEMENTS.stream().noneMatch(d -> reason.contains(d.fragment()));
  }

  /** The first line of an ORT message without the model path and C++ source locations. */
  static String reason(String message) {
    String first = message == null ? "" : message.lines().filter(l -> !l.isBlank()).findFirst().orElse("").strip();
    first = first.replaceFirst("^Error code - (ORT_\\w+) - message: ", "$1: ");
    first = first.replaceFirst("Load model from .*? failed:", "load failed:");
    return first.replaceAll("/onnxruntime_src/\\S+:\\d+ ", "");
  }

  @Override
  public void close() {
    options.close();
  }
}
