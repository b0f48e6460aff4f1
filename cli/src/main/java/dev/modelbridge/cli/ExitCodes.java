package dev.modelbridge.cli;

import dev.modelbridge.ModelException;
import dev.modelbridge.ModelIOException;
import dev.modelbridge.OutputExistsException;
import dev.modelbridge.validate.PolicyException;
import picocli.CommandLine;

/** The one place that maps errors to exit codes: 1 for a model at fault, 2 for usage and I/O. */
final class ExitCodes implements CommandLine.IExitCodeExceptionMapper {
  static final int OK = 0;
  static final int MODEL_ERROR = 1;
  static final int USAGE_OR_IO = 2;

  @Override
  public int getExitCode(Throwable t) {
    return of(t);
  }

  static int of(Throwable t) {
    if (t instanceof ModelIOException || t instanceof OutputExistsException || t instanceof PolicyException) {
      return USAGE_OR_IO;
    }
    if (t instanceof ModelException) {
      return MODEL_ERROR;
    }
    if (t instanceof CommandLine.ParameterException) {
      return USAGE_OR_IO;
    }
    return USAGE_OR_IO;
  }
}
