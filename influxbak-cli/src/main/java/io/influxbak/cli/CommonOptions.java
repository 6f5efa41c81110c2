package io.influxbak.cli;

import picocli.CommandLine.Option;

/** Options every subcommand takes. */
final class CommonOptions {
  @Option(names = "--json", description = "Print the result as JSON on stdout.")
  boolean json;

  @Option(
      names = "--verbose",
      description = "Print the stack trace of an error, not only its one-line message.")
  boolean verbose;

  @Option(
      names = "--progress",
      description =
          "auto (a bar when stderr is a terminal, plain lines otherwise), bar, plain or none. Default: ${DEFAULT-VALUE}.",
      defaultValue = "auto")
  String progress;

  @Option(
      names = "--parallelism",
      description = "Copies in flight at most. Default: ${DEFAULT-VALUE}.",
      defaultValue = "16")
  int parallelism;
}
