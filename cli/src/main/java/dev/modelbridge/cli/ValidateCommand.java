package dev.modelbridge.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code modelbridge validate}: not built yet. */
@Command(name = "validate", mixinStandardHelpOptions = true, hidden = true, description = "Not built yet.")
final class ValidateCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Override
  public Integer call() {
    throw new UnsupportedOperationException("'validate' is not built yet");
  }
}
