package io.influxbak.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** Checks on the store ends a command was given. */
final class Ends {
  private Ends() {}

  /** {@code end}, which the command needs: a usage error naming its flag when it was not given. */
  static StoreEnd required(CommandSpec spec, StoreEnd end) {
    if (!end.given()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "Missing required option: '"
              + end.flag()
              + "=LOCATION' (or INFLUXBAK_"
              + end.flag().substring(2).toUpperCase(java.util.Locale.ROOT)
              + ")");
    }
    return end;
  }
}
