package dev.modelbridge.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code modelbridge ops}: not built yet. */
@Command(name = "ops", mixinStandardHelpOptions = true, hidden = true, description = "Not built yet.")
final class OpsCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Override
  public Integer call() {
    throw new UnsupportedOperationException("'ops' is not built yet");
  }
}
