package dev.modelbridge.cli;

import picocli.CommandLine.Option;

/** Options every command takes. */
final class CommonOptions {
  @Option(names = {"-v", "--verbose"}, description = "Print stack traces with errors.")
  boolean verbose;
}
