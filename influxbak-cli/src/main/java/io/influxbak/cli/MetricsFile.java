package io.influxbak.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * A Prometheus text file in the format node_exporter's textfile collector reads: one gauge per
 * line, labelled with the operation and its subject (the node(s) of a backup, the store of a verify
 * or prune), written to a temporary file beside the target and renamed over it so the collector
 * never reads half a file. Each run replaces the file: point {@code --metrics-file} of each
 * scheduled command at its own file.
 */
final class MetricsFile {
  private final String operation;
  private final String subject;
  private final Map<String, Gauge> gauges = new LinkedHashMap<>();

  MetricsFile(String operation, String subject) {
    this.operation = operation;
    this.subject = subject;
  }

  /** One gauge: its HELP text and value. */
  private record Gauge(String help, double value) {}

  /**
   * Metrics of a run that ended after {@code elapsed}, now: a success (exit code 0) or not (a
   * verify that found problems, an inconsistent node), whose last success time is then carried over
   * from {@code previous}.
   */
  static MetricsFile ended(
      String operation, String subject, Duration elapsed, boolean success, @Nullable Path previous)
      throws IOException {
    return run(operation, subject, success, previous)
        .gauge("duration_seconds", "How long the last run took.", elapsed.toMillis() / 1000.0);
  }

  /**
   * Metrics of a run that failed now: the last success time is carried over from {@code previous}
   * (the file the last run wrote), so an alert on its age keeps working.
   */
  static MetricsFile failed(String operation, String subject, @Nullable Path previous)
      throws IOException {
    return run(operation, subject, false, previous);
  }

  /** The gauges every run has: its outcome, when it ended, when the last success ended. */
  private static MetricsFile run(
      String operation, String subject, boolean success, @Nullable Path previous)
      throws IOException {
    double now = Instant.now().toEpochMilli() / 1000.0;
    MetricsFile metrics =
        new MetricsFile(operation, subject)
            .gauge(
                "last_run_success", "1 if the last run succeeded, 0 if it failed.", success ? 1 : 0)
            .gauge("last_run_timestamp_seconds", "When the last run ended (Unix time).", now);
    String lastSuccess = "last_success_timestamp_seconds";
    String lastSuccessHelp = "When the last successful run ended (Unix time).";
    if (success) {
      return metrics.gauge(lastSuccess, lastSuccessHelp, now);
    }
    if (previous != null && Files.isRegularFile(previous)) {
      for (String line : Files.readAllLines(previous, StandardCharsets.UTF_8)) {
        if (line.startsWith("influxbak_" + lastSuccess + "{")) {
          metrics.gauge(
              lastSuccess,
              lastSuccessHelp,
              Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
        }
      }
    }
    return metrics;
  }

  /** Sets the gauge {@code influxbak_<name>}. */
  MetricsFile gauge(String name, String help, double value) {
    gauges.put(name, new Gauge(help, value));
    return this;
  }

  /** The file's text. */
  String text() {
    StringBuilder out = new StringBuilder();
    String labels = "{operation=\"" + escape(operation) + "\",subject=\"" + escape(subject) + "\"}";
    for (Map.Entry<String, Gauge> gauge : gauges.entrySet()) {
      String name = "influxbak_" + gauge.getKey();
      out.append("# HELP ").append(name).append(' ').append(gauge.getValue().help()).append('\n');
      out.append("# TYPE ").append(name).append(" gauge\n");
      out.append(name).append(labels).append(' ').append(format(gauge.getValue().value()));
      out.append('\n');
    }
    return out.toString();
  }

  /** Writes the file atomically (a temporary file in the same directory, then a rename). */
  void writeTo(Path file) throws IOException {
    Path absolute = file.toAbsolutePath();
    Path temporary =
        Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp");
    try {
      Files.writeString(temporary, text(), StandardCharsets.UTF_8);
      Files.move(
          temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private static String format(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : String.format(Locale.ROOT, "%.3f", value);
  }

  private static String escape(String label) {
    return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
