package io.influxbak.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where an operation (backup, restore, verify, prune) writes its metrics. */
final class MetricsOptions {
  @Option(
      names = "--metrics-file",
      paramLabel = "PATH",
      description =
          "Write the run's metrics here in Prometheus text format (node_exporter's textfile collector): last success, duration, objects, bytes, findings. Replaced atomically each run.")
  Path metricsFile;

  /** Writes {@code metrics} to {@code --metrics-file}, if given. */
  void write(MetricsFile metrics) throws IOException {
    if (metricsFile != null) {
      metrics.writeTo(metricsFile);
    }
  }

  /**
   * After a failure: writes {@code --metrics-file}, if given, with the run marked failed and the
   * last success time carried over from the previous file; a failure to write is only reported.
   */
  void writeFailure(Operation operation, PrintStream err) {
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
