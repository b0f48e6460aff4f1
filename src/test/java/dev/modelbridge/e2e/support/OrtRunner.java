package dev.modelbridge.e2e.support;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import dev.modelbridge.schemas.onnx.ModelProto;
import dev.modelbridge.schemas.onnx.NodeProto;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Runs ONNX models in ONNX Runtime and judges their outputs against reference data. One instance
 * can run any number of models, one after the other; close it when done.
 *
 * <p>{@link #run} never throws: every failure becomes an {@link Outcome}, so that one odd model
 * cannot stop a run over the whole corpus.
 */
public final class OrtRunner implements AutoCloseable {

  /** The outputs of one execution, or why there are none. */
  public record Execution(Optional<Outcome> refusal, Map<String, TensorValue> outputs) {
    static Execution refused(Outcome o) {
      return new Execution(Optional.of(o), Map.of());
    }
  }

  private final OrtEnvironment env;
  private final OrtSession.SessionOptions options;
  private final TensorComparator.Tolerance tolerance;

  public OrtRunner() throws OrtException {
    this(TensorComparator.Tolerance.DEFAULT);
  }

  public OrtRunner(TensorComparator.Tolerance tolerance) throws OrtException {
    // ORT extracts its native library into java.io.tmpdir when the class first loads; surefire
    // points that at target/tmp, which does not exist on a clean build.
    try {
      Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create java.io.tmpdir", e);
    }
    if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      // TensorValue hands ORT little-endian bytes as they are.
      throw new IllegalStateException("the ORT harness supports little-endian hosts only");
    }
    this.tolerance = tolerance;
    // FATAL: refused models are reported through exceptions; ORT's own log would repeat each one.
    this.env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, "modelbridge-e2e");
    this.options = new OrtSession.SessionOptions();
    options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
    // The test machine has two cores; one thread per session keeps runs predictable.
    options.setIntraOpNumThreads(1);
    options.setInterOpNumThreads(1);
  }

  /** Runs a corpus case's own model against its own reference data. */
  public Outcome run(BackendCase c) {
    return run(c.model(), ReferenceData.load(c));
  }

  /**
   * Runs {@code modelFile} (opened by path, so external data next to it is found) on the reference
   * inputs and compares its outputs with the reference outputs.
   */
  public Outcome run(Path modelFile, ReferenceData data) {
    try {
      if (!data.supported()) {
        return Outcome.unsupported(data.unsupportedReason().orElseThrow());
      }
      Execution ex = execute(modelFile, data.inputs());
      if (ex.refusal().isPresent()) {
        return ex.refusal().get();
      }
      return compare(data.outputs(), ex.outputs());
    } catch (Exception | LinkageError | StackOverflowError e) {
      return Outcome.harnessError(e);
    }
  }

  /**
   * Runs {@code modelFile} on {@code inputs} and returns every output, in the model's order. Inputs
   * are matched to the model's by name, or by position when the names differ but the counts agree
   * (a converter may rename graph inputs).
   */
  public Execution execute(Path modelFile, List<ReferenceData.Value> inputs) {
    Optional<String> crash = integerDivisionByZero(modelFile, inputs);
    if (crash.isPresent()) {
      return Execution.refused(Outcome.notRunnable(crash.get()));
    }
    OrtSession session;
    try {
      session = env.createSession(modelFile.toString(), options);
    } catch (OrtException e) {
      return Execution.refused(Outcome.notRunnable(reason(e)));
    }
    Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
    try (session) {
      List<String> names = new ArrayList<>(session.getInputNames());
      boolean byName = inputs.stream().allMatch(v -> names.contains(v.name()));
      if (!byName && names.size() != inputs.size()) {
        return Execution.refused(Outcome.fail("model inputs " + names + " do not match reference inputs "
            + inputs.stream().map(ReferenceData.Value::name).toList()));
      }
      for (int i = 0; i < inputs.size(); i++) {
        ReferenceData.Value v = inputs.get(i);
        try {
          feeds.put(byName ? v.name() : names.get(i), v.tensor().toOrt(env));
        } catch (UnsupportedOperationException e) {
          return Execution.refused(Outcome.notRunnable(e.getMessage()));
        } catch (OrtException e) {
          return Execution.refused(Outcome.notRunnable("input '" + v.name() + "': " + reason(e)));
        }
      }
      return collect(session, feeds);
    } catch (OrtException e) {
      // Thrown only by closing the session.
      return Execution.refused(Outcome.notRunnable("closing session: " + reason(e)));
    } finally {
      feeds.values().forEach(OnnxTensor::close);
    }
  }

  private Execution collect(OrtSession session, Map<String, OnnxTensor> feeds) {
    try (OrtSession.Result result = session.run(feeds)) {
      Map<String, TensorValue> outputs = new LinkedHashMap<>();
      for (Map.Entry<String, OnnxValue> e : result) {
        if (!(e.getValue() instanceof OnnxTensor t)) {
          return Execution.refused(Outcome.unsupported(
              "output '" + e.getKey() + "' is a " + e.getValue().getType() + ", not a tensor"));
        }
        try {
          outputs.put(e.getKey(), TensorValue.fromOrt(t));
        } catch (OrtException | RuntimeException ex) {
          return Execution.refused(Outcome.notRunnable("output '" + e.getKey() + "' not readable through ORT's Java API: "
              + reason(ex)));
        }
      }
      return new Execution(Optional.empty(), outputs);
    } catch (OrtException e) {
      return Execution.refused(Outcome.notRunnable("run: " + reason(e)));
    }
  }

  /** Compares by name, or by position when a computed output of that name does not exist. */
  private Outcome compare(List<ReferenceData.Value> expected, Map<String, TensorValue> actual) {
    List<String> actualNames = new ArrayList<>(actual.keySet());
    boolean byName = expected.stream().allMatch(v -> actual.containsKey(v.name()));
    for (int i = 0; i < expected.size(); i++) {
      ReferenceData.Value ref = expected.get(i);
      String name = byName ? ref.name() : (i < actualNames.size() ? actualNames.get(i) : null);
      if (name == null) {
        return Outcome.fail("output '" + ref.name() + "' missing; the model produced " + actualNames);
      }
      if (ElementType.kind(ref.tensor().dataType()) == ElementType.Kind.OTHER) {
        return Outcome.unsupported("cannot compare output '" + ref.name() + "' of type "
            + ElementType.name(ref.tensor().dataType()));
      }
      Optional<TensorComparator.Mismatch> m = TensorComparator.compare(ref.name(), ref.tensor(), actual.get(name), tolerance);
      if (m.isPresent()) {
        return Outcome.fail(m.get().message());
      }
    }
    return Outcome.pass();
  }

  /**
   * ORT's integer Div and Mod by zero raise SIGFPE and kill the JVM, so refuse to run a model that
   * feeds a graph input holding a zero straight into the divisor of one. Divisors computed inside
   * the graph are not checked.
   */
  private static Optional<String> integerDivisionByZero(Path modelFile, List<ReferenceData.Value> inputs) {
    Set<String> zeroIntegers = new HashSet<>();
    for (ReferenceData.Value v : inputs) {
      TensorValue t = v.tensor();
      if (ElementType.kind(t.dataType()) == ElementType.Kind.INTEGRAL) {
        for (long i = 0; i < t.size(); i++) {
          if (t.getLong(i) == 0) {
            zeroIntegers.add(v.name());
            break;
          }
        }
      }
    }
    if (zeroIntegers.isEmpty()) {
      return Optional.empty();
    }
    try (InputStream in = Files.newInputStream(modelFile)) {
      for (NodeProto n : ModelProto.parseFrom(in).getGraph().getNodeList()) {
        boolean division = n.getOpType().equals("Div") || n.getOpType().equals("Mod");
        if (division && n.getInputCount() > 1 && zeroIntegers.contains(n.getInput(1))) {
          return Optional.of("skipped: integer " + n.getOpType() + " by zero (input " + n.getInput(1)
              + ") would crash ONNX Runtime and the JVM");
        }
      }
    } catch (IOException e) {
      // Unreadable here means unreadable for ORT too; let ORT give the reason.
    }
    return Optional.empty();
  }

  // A C++ source location and the signature of the function that threw, e.g.
  // "/onnxruntime_src/.../rnn.h:44 onnxruntime::RNN<T>::RNN(const onnxruntime::OpKernelInfo&) [with T = float] ".
  private static final Pattern SOURCE_LOCATION = Pattern.compile(
      "/onnxruntime_src/\\S+:\\d+ (?:(?:[^ (]+ ){0,3}[^ (]+\\((?:[^()]|\\([^()]*\\))*\\)[^ ]*(?: const)?(?: \\[with [^\\]]*\\])? )?");

  /**
   * The first line of an ORT error without what only ORT's developers need (source location,
   * C++ signature, the model path), so that one cause reads the same for every model.
   */
  static String reason(Exception e) {
    String r = Outcome.firstLine(e.getMessage());
    r = r.replaceFirst("^Error code - (ORT_\\w+) - message: ", "$1: ");
    r = r.replaceFirst("Load model from .*? failed:", "load failed: ");
    return SOURCE_LOCATION.matcher(r).replaceAll("");
  }

  /** The ORT version, for reports. */
  public String ortVersion() {
    return env.getVersion();
  }

  @Override
  public void close() {
    // The environment is a JVM-wide singleton that other runners may share; only the options are ours.
    options.close();
  }
}
