package io.influxbak.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every operation takes, with the same meaning on each. */
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

  @Option(
      names = "--metrics-file",
      paramLabel = "PATH",
      description =
          "Write the run's metrics here in Prometheus text format (node_exporter's textfile collector): last success, duration, objects, bytes, findings. Replaced atomically each run.")
  Path metricsFile;

  /** Writes {@code metrics} to {@code --metrics-file}, if given. */
  void writeMetrics(MetricsFile metrics) throws IOException {
    if (metricsFile != null) {
      metrics.writeTo(metricsFile);
    }
  }

  /**
   * After a failure: writes {@code --metrics-file}, if given, with the run marked failed and the
   * last success time carried over from the previous file; a failure to write is only reported.
   */
  void writeFailureMetrics(Operation operation, PrintStream err) {
    if (metricsFile == null) {
      return;
    }
    try {
      MetricsFile.failed(operation.operation(), operation.subject(), metricsFile)
          .writeTo(metricsFile);
    } catch (IOException | RuntimeException e) {
      err.println("influxbak: error: cannot write --metrics-file " + metricsFile + ": " + e);
    }
  }
}
