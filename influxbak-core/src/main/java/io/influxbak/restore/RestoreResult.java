package io.influxbak.restore;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import io.influxbak.consistency.ConsistencyReport;
import io.influxbak.layout.NodeId;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.store.StoreId;
import io.influxbak.transfer.PhaseResult;
import io.influxbak.transfer.ReportedObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a completed restore did. A restore that did not complete throws instead of returning a
 * result.
 *
 * @param backupId the backup restored
 * @param source the store holding the backup
 * @param target the store restored into
 * @param nodes the nodes restored
 * @param phases per-phase counts and times, in restore order
 * @param objects every object restored, with the hashes of the bytes written (a resumed restore:
 *     those it copied, not those the interrupted one had restored)
 * @param reported objects the restore wants the caller to know about
 * @param consistency the consistency check of every restored node, run on the target after the
 *     restore
 * @param startedAt when the restore started
 * @param elapsed how long it took
 */
public record RestoreResult(
    String backupId,
    StoreId source,
    StoreId target,
    List<NodeId> nodes,
    List<PhaseResult> phases,
    List<ManifestEntry> objects,
    List<ReportedObject> reported,
    List<ConsistencyReport> consistency,
    Instant startedAt,
    Duration elapsed) {
  /** Checks the parts and copies the lists. */
  public RestoreResult {
    requireNonNull(backupId, "backupId is null");
    requireNonNull(source, "source is null");
    requireNonNull(target, "target is null");
    nodes = ImmutableList.copyOf(nodes);
    phases = ImmutableList.copyOf(phases);
    objects = ImmutableList.copyOf(objects);
    reported = ImmutableList.copyOf(reported);
    consistency = ImmutableList.copyOf(consistency);
    requireNonNull(startedAt, "startedAt is null");
    requireNonNull(elapsed, "elapsed is null");
  }

  /** Whether every restored node passed its consistency check. */
  public boolean consistent() {
    return consistency.stream().allMatch(ConsistencyReport::consistent);
  }

  /** Number of objects restored. */
  public long objectCount() {
    return objects.size();
  }

  /** Bytes restored. */
  public long byteCount() {
    return objects.stream().mapToLong(ManifestEntry::size).sum();
  }
}
