package dev.modelbridge.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code modelbridge} command. Each subcommand is a thin shell over the public API. */
@Command(
    name = "modelbridge",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Converts and inspects ONNX and TensorFlow models.",
    subcommands = {
      InspectCommand.class,
      ConvertCommand.class,
      ValidateCommand.class,
      OpsCommand.class,
      RulesCommand.class,
      AutoComplete.GenerateCompletion.class,
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:a model is invalid or cannot be converted",
      "2:bad usage, or a file cannot be read or written",
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code, without exiting; used by tests too. */
  public static int run(String... args) {
    return newCommandLine().execute(args);
  }

  static CommandLine newCommandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setExitCodeExceptionMapper(new ExitCodes());
    cli.setExecutionExceptionHandler(new ErrorPrinter());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
    return cli;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }
}
