package dev.modelbridge.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code modelbridge rules}: not built yet. */
@Command(name = "rules", mixinStandardHelpOptions = true, hidden = true, description = "Not built yet.")
final class RulesCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Override
  public Integer call() {
    throw new UnsupportedOperationException("'rules' is not built yet");
  }
}
