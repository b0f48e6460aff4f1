package dev.modelbridge.validate;

import dev.modelbridge.InvalidModelException;
import dev.modelbridge.ModelException;
import dev.modelbridge.ModelIOException;
import dev.modelbridge.UnsafePathException;
import dev.modelbridge.UnsupportedModelException;

/** Rule ids for files that could not be read into the IR at all. */
public final class ReadFailures {
  /** The file is not a readable model of its format (bad protobuf, unknown data type...). */
  public static final String INVALID = "format.invalid";
  /** The file uses a feature this version does not read. */
  public static final String UNSUPPORTED = "format.unsupported";
  /** An external-data path or range leads outside the model's folder or file. */
  public static final String UNSAFE_PATH = "tensor.external-data-unsafe";
  /** A file could not be read (missing, no permission). */
  public static final String IO = "io.unreadable";
  /** A reader or rule failed unexpectedly: a bug in ModelBridge. */
  public static final String INTERNAL = "validator.internal";

  private ReadFailures() {}

  /** The read-failure ids with their severity (always error) and what each means. */
  public static java.util.List<ValidationReport.RuleInfo> all() {
    return java.util.List.of(
        new ValidationReport.RuleInfo(INVALID, Severity.ERROR,
            "The file is not a readable model of its format (bad protobuf, unknown data type)."),
        new ValidationReport.RuleInfo(UNSUPPORTED, Severity.ERROR,
            "The file is not a model format ModelBridge reads, or uses a feature it does not read yet."),
        new ValidationReport.RuleInfo(UNSAFE_PATH, Severity.ERROR,
            "An external-data location or range leads outside the model's folder or its data file."),
        new ValidationReport.RuleInfo(IO, Severity.ERROR, "A file could not be read (missing, no permission)."),
        new ValidationReport.RuleInfo(INTERNAL, Severity.ERROR,
            "A reader or rule failed unexpectedly: a bug in ModelBridge, reported so that no model passes unchecked."));
  }

  static String ruleFor(ModelException e) {
    if (e instanceof UnsafePathException) {
      return UNSAFE_PATH;
    }
    if (e instanceof InvalidModelException) {
      return INVALID;
    }
    if (e instanceof UnsupportedModelException) {
      return UNSUPPORTED;
    }
    if (e instanceof ModelIOException) {
      return IO;
    }
    return INVALID;
  }
}
