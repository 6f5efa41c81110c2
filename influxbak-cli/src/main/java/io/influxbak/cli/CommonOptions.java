package io.influxbak.cli;

import picocli.CommandLine.Option;

/** Options every command takes, with the same meaning on each: what it prints, and its log. */
final class CommonOptions {
  @Option(names = "--json", description = "Print the result as JSON on stdout.")
  boolean json;

  @Option(
      names = {"-v", "--verbose"},
      description =
          "Log what influxbak decides (plan, re-pins, retries, reported objects) on stderr, and print an error's stack trace.")
  boolean verbose;

  @Option(
      names = {"-q", "--quiet"},
      description = "Print nothing but errors (and --json output): no progress, no summary.")
  boolean quiet;

  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      description =
          "Level of the log on stderr: error, warn, info, debug or trace. Default: warn (--verbose: info, --quiet: error).")
  LogLevel logLevel;

  /** The levels of {@code --log-level}. */
  enum LogLevel {
    ERROR,
    WARN,
    INFO,
    DEBUG,
    TRACE
  }
}
