package io.influxbak.backup;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import io.influxbak.layout.ClusterId;
import io.influxbak.layout.NodeId;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.manifest.SourceFinding;
import io.influxbak.pin.ConsistencyPoint;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.StoreId;
import io.influxbak.transfer.PhaseResult;
import io.influxbak.transfer.ReportedObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a completed backup did. A backup that did not complete throws instead of returning a result.
 *
 * @param backupId the backup's id
 * @param source where the node data came from
 * @param destination where the backup was written
 * @param backupRoot the prefix in the destination holding the backup, {@code <backup-id>/}
 * @param nodes the nodes backed up
 * @param cluster the Enterprise cluster backed up, if any
 * @param consistencyPoints per pinned node, the snapshot the backup is consistent to (empty without
 *     pinning or for a node without snapshots)
 * @param phases per-phase counts and times, in copy order
 * @param objects every object the backup holds, with its hashes and where it is stored ({@link
 *     ManifestEntry#reused()} for those an incremental backup took from an earlier one)
 * @param reported objects copied but not understood, left out, or gone before their turn
 * @param resumedObjects objects a resumed backup kept as the interrupted run had copied them (its
 *     journal records them), not copied again; 0 for a backup that was not resumed
 * @param repins how many times the run pinned again because the server deleted, while it copied,
 *     objects its pin needed (0 when nothing moved under it, or without pinning)
 * @param sourceFindings the warnings and errors the consistency check found in what the backup
 *     copied (the source at its consistency point), as the manifest records them
 * @param startedAt when the backup started
 * @param elapsed how long it took
 */
public record BackupResult(
    String backupId,
    StoreId source,
    StoreId destination,
    KeyPrefix backupRoot,
    List<NodeId> nodes,
    Optional<ClusterId> cluster,
    List<ConsistencyPoint> consistencyPoints,
    List<PhaseResult> phases,
    List<ManifestEntry> objects,
    List<ReportedObject> reported,
    long resumedObjects,
    int repins,
    List<SourceFinding> sourceFindings,
    Instant startedAt,
    Duration elapsed) {
  /** Checks the parts and copies the lists. */
  public BackupResult {
    requireNonNull(backupId, "backupId is null");
    requireNonNull(source, "source is null");
    requireNonNull(destination, "destination is null");
    requireNonNull(backupRoot, "backupRoot is null");
    nodes = ImmutableList.copyOf(nodes);
    requireNonNull(cluster, "cluster is null");
    consistencyPoints = ImmutableList.copyOf(consistencyPoints);
    phases = ImmutableList.copyOf(phases);
    objects = ImmutableList.copyOf(objects);
    reported = ImmutableList.copyOf(reported);
    sourceFindings = ImmutableList.copyOf(sourceFindings);
    requireNonNull(startedAt, "startedAt is null");
    requireNonNull(elapsed, "elapsed is null");
  }

  /**
   * Whether the consistency check found an error in what the backup copied: the backup is a
   * faithful copy of a source that a server would not start from as it is.
   */
  public boolean sourceHasErrors() {
    return SourceFinding.errors(sourceFindings) > 0;
  }

  /** Objects the backup holds (copied by it or reused from earlier backups). */
  public long objectCount() {
    return objects.size();
  }

  /** Bytes the backup holds (the objects' own sizes, whether copied, reused or compressed). */
  public long byteCount() {
    return objects.stream().mapToLong(ManifestEntry::size).sum();
  }

  /** Objects an incremental backup reused from earlier backups instead of copying. */
  public long reusedObjectCount() {
    return objects.stream().filter(ManifestEntry::reused).count();
  }

  /**
   * Bytes this backup wrote for its objects (as stored: compressed where compressed), reused
   * objects excluded.
   */
  public long copiedByteCount() {
    return objects.stream().filter(o -> !o.reused()).mapToLong(o -> o.stored().size()).sum();
  }
}
