package io.influxbak.micrometer;

import static java.util.Objects.requireNonNull;

import io.influxbak.backup.BackupResult;
import io.influxbak.layout.NodeId;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.manifest.SourceFinding;
import io.influxbak.restore.RestoreResult;
import io.influxbak.retention.PruneResult;
import io.influxbak.store.ObjectKey;
import io.influxbak.transfer.ProgressListener;
import io.influxbak.transfer.ReportedObject;
import io.influxbak.verify.VerifyReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Meters for influxbak operations in a Micrometer registry. Two halves: {@link #listener(String)}
 * hears an operation while it runs (objects, bytes as they move, retries, re-pins, reported
 * objects); {@code record(...)} takes its result when it ends (duration, objects, bytes copied and
 * reused, findings, and the time of the last successful backup and verify per node, a gauge an
 * alert can watch).
 *
 * <pre>{@code
 * InfluxbakMeters meters = new InfluxbakMeters(registry);
 * BackupResult result = BackupPlan.core("node0")
 *     .withOptions(BackupOptions.builder()
 *         .transfer(TransferSettings.builder().progress(meters.listener("backup")).build())
 *         .build())
 *     .execute(data, backups);
 * meters.record(result);
 * }</pre>
 *
 * <p>Meters (tags in brackets): {@code influxbak.objects.copied}, {@code
 * influxbak.bytes.transferred}, {@code influxbak.retries}, {@code influxbak.repins}, {@code
 * influxbak.objects.read} [operation]; {@code influxbak.objects.reported} [operation, disposition];
 * {@code influxbak.operation.duration} (timer) [operation, outcome]; {@code
 * influxbak.backup.objects}, {@code influxbak.backup.bytes.copied}, {@code
 * influxbak.backup.bytes.reused}, {@code influxbak.backup.source.errors} [node]; {@code
 * influxbak.backup.last.success}, {@code influxbak.verify.last.success} (gauges, Unix seconds, 0
 * until the first) [node, or backup store]; {@code influxbak.verify.findings}, {@code
 * influxbak.prune.objects.deleted}, {@code influxbak.prune.bytes.freed}. Thread-safe.
 */
public final class InfluxbakMeters {
  private final MeterRegistry registry;
  private final Clock clock;
  private final ConcurrentMap<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();

  /** Meters in {@code registry}, success times from the system clock. */
  public InfluxbakMeters(MeterRegistry registry) {
    this(registry, Clock.systemUTC());
  }

  /** Meters in {@code registry}, success times from {@code clock}. */
  public InfluxbakMeters(MeterRegistry registry, Clock clock) {
    this.registry = requireNonNull(registry, "registry is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /**
   * A listener that counts what an operation does as it runs, tagged {@code operation} (such as
   * {@code backup}); pass it to {@code TransferSettings.builder().progress(..)}.
   */
  public ProgressListener listener(String operation) {
    requireNonNull(operation, "operation is null");
    Counter copied = registry.counter("influxbak.objects.copied", "operation", operation);
    Counter bytes = registry.counter("influxbak.bytes.transferred", "operation", operation);
    Counter retries = registry.counter("influxbak.retries", "operation", operation);
    Counter repins = registry.counter("influxbak.repins", "operation", operation);
    Counter read = registry.counter("influxbak.objects.read", "operation", operation);
    return new ProgressListener() {
      @Override
      public void objectCopied(ManifestEntry object) {
        copied.increment();
      }

      @Override
      public void bytesTransferred(ObjectKey source, long transferred) {
        bytes.increment(transferred);
      }

      @Override
      public void retrying(String what, int failedAttempt, IOException cause) {
        retries.increment();
      }

      @Override
      public void repinned(NodeId node, int round, String reason) {
        repins.increment();
      }

      @Override
      public void objectRead(ObjectKey key, long size) {
        read.increment();
        bytes.increment(size);
      }

      @Override
      public void objectReported(ReportedObject object) {
        registry
            .counter(
                "influxbak.objects.reported",
                "operation",
                operation,
                "disposition",
                object.disposition().name())
            .increment();
      }
    };
  }

  /** Records a completed backup: a success unless its source was inconsistent. */
  public void record(BackupResult result) {
    requireNonNull(result, "result is null");
    boolean success = !result.sourceHasErrors();
    duration("backup", success, result.elapsed());
    Tags node = Tags.of("node", nodes(result.nodes()));
    registry.counter("influxbak.backup.objects", node).increment(result.objectCount());
    registry.counter("influxbak.backup.bytes.copied", node).increment(result.copiedByteCount());
    registry
        .counter("influxbak.backup.bytes.reused", node)
        .increment(
            result.objects().stream().filter(ManifestEntry::reused).mapToLong(e -> e.size()).sum());
    registry
        .counter("influxbak.backup.source.errors", node)
        .increment(SourceFinding.errors(result.sourceFindings()));
    if (success) {
      succeeded("influxbak.backup.last.success", node);
    }
  }

  /** Records a completed restore: a success when every restored node passed its check. */
  public void record(RestoreResult result) {
    requireNonNull(result, "result is null");
    duration("restore", result.consistent(), result.elapsed());
    registry
        .counter("influxbak.restore.objects", "node", nodes(result.nodes()))
        .increment(result.objectCount());
  }

  /**
   * Records a verify of a backup in the store {@code backups} (the tag, so that nightly verifies of
   * changing backup ids share one series) that took {@code elapsed}: a success when it passed.
   */
  public void record(VerifyReport report, String backups, Duration elapsed) {
    requireNonNull(report, "report is null");
    requireNonNull(backups, "backups is null");
    requireNonNull(elapsed, "elapsed is null");
    duration("verify", report.passed(), elapsed);
    Tags store = Tags.of("backups", backups);
    registry.counter("influxbak.verify.findings", store).increment(report.findings().size());
    if (report.passed()) {
      succeeded("influxbak.verify.last.success", store);
    }
  }

  /** Records a prune that took {@code elapsed}. */
  public void record(PruneResult result, Duration elapsed) {
    requireNonNull(result, "result is null");
    requireNonNull(elapsed, "elapsed is null");
    duration(result.dryRun() ? "prune-dry-run" : "prune", true, elapsed);
    registry.counter("influxbak.prune.objects.deleted").increment(result.objectsDeleted());
    registry.counter("influxbak.prune.bytes.freed").increment(result.bytesFreed());
  }

  private void duration(String operation, boolean success, Duration elapsed) {
    Timer.builder("influxbak.operation.duration")
        .tags("operation", operation, "outcome", success ? "success" : "failure")
        .register(registry)
        .record(elapsed);
  }

  /** Sets the gauge {@code name} with {@code tags} to now, registering it on first use. */
  private void succeeded(String name, Tags tags) {
    AtomicLong seconds =
        lastSuccess.computeIfAbsent(name + tags, k -> registry.gauge(name, tags, new AtomicLong()));
    seconds.set(clock.instant().getEpochSecond());
  }

  private static String nodes(List<NodeId> nodes) {
    return nodes.stream().map(NodeId::toString).collect(Collectors.joining(","));
  }
}
