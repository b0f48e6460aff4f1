package dev.modelbridge.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Prints an error as one line in the error colour; the stack trace only with {@code --verbose}.
 */
final class ErrorPrinter implements CommandLine.IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    PrintWriter err = cli.getErr();
    err.println(cli.getColorScheme().errorText("modelbridge: " + message(e)));
    if (isVerbose(parsed)) {
      e.printStackTrace(err);
    }
    err.flush();
    return ExitCodes.of(e);
  }

  static String message(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  private static boolean isVerbose(CommandLine.ParseResult parsed) {
    for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }
}
