package io.influxbak.cli;

import picocli.CommandLine.Option;

/** How a command that copies or reads objects runs: backup, restore, verify. */
final class TransferOptions {
  @Option(
      names = "--progress",
      description =
          "auto (a bar when stderr is a terminal, plain lines otherwise), bar, plain or none. Default: ${DEFAULT-VALUE}.",
      defaultValue = "auto")
  String progress;

  @Option(
      names = "--parallelism",
      description = "Objects copied or read at once, at most. Default: ${DEFAULT-VALUE}.",
      defaultValue = "16")
  int parallelism;
}
