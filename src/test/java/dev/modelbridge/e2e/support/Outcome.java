package dev.modelbridge.e2e.support;

import java.util.Objects;

/**
 * What happened when one model was run against its reference data.
 *
 * <p>The split between the statuses matters to callers: FAIL is a wrong answer, whereas
 * NOT_RUNNABLE and UNSUPPORTED_BY_HARNESS say the oracle could not judge the model at all, so a
 * round-trip test must not count them as converter bugs.
 *
 * @param status the verdict
 * @param detail a one-line human-readable reason; empty for PASS
 */
public record Outcome(Status status, String detail) {

  /** The verdicts, from best to worst-understood. */
  public enum Status {
    /** Every output matched the reference within tolerance. */
    PASS,
    /** The model ran but an output differed from the reference (or was missing). */
    FAIL,
    /** ONNX Runtime refused the model or one of its input types (opset, IR version, type...). */
    NOT_RUNNABLE,
    /** The harness cannot feed or check this model (sequence, map, optional values...). */
    UNSUPPORTED_BY_HARNESS,
    /**
     * The harness itself threw: a bug in the harness, kept separate so that it is never mistaken
     * for a verdict on the model.
     */
    HARNESS_ERROR
  }

  public Outcome {
    Objects.requireNonNull(status, "status");
    detail = detail == null ? "" : detail;
  }

  public static Outcome pass() {
    return new Outcome(Status.PASS, "");
  }

  public static Outcome fail(String detail) {
    return new Outcome(Status.FAIL, detail);
  }

  public static Outcome notRunnable(String detail) {
    return new Outcome(Status.NOT_RUNNABLE, detail);
  }

  public static Outcome unsupported(String detail) {
    return new Outcome(Status.UNSUPPORTED_BY_HARNESS, detail);
  }

  public static Outcome harnessError(Throwable t) {
    return new Outcome(Status.HARNESS_ERROR, t.getClass().getSimpleName() + ": " + firstLine(t.getMessage()));
  }

  public boolean passed() {
    return status == Status.PASS;
  }

  /** The first non-blank line of a possibly multi-line message; ORT messages repeat the model path below. */
  static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    for (String line : message.split("\\R")) {
      if (!line.isBlank()) {
        return line.strip();
      }
    }
    return "";
  }

  @Override
  public String toString() {
    return detail.isEmpty() ? status.name() : status + ": " + detail;
  }
}
