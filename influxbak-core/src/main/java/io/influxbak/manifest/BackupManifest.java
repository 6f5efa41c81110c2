package io.influxbak.manifest;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.influxbak.layout.ClusterId;
import io.influxbak.layout.NodeId;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectLock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a backup holds: written last, atomically, as {@code <backup-id>/manifest.json}. See {@link
 * ManifestFormat} for the JSON.
 *
 * @param formatVersion the manifest format version ({@link ManifestFormat#CURRENT_VERSION} when
 *     written)
 * @param backupId the backup's id
 * @param createdAt when the backup completed (UTC)
 * @param libraryVersion the influxbak version that wrote it
 * @param product Core or Enterprise
 * @param nodes the node ids backed up
 * @param cluster the Enterprise cluster id, if any
 * @param pinnedSnapshotSequence the snapshot sequence the backup is consistent to, when known
 * @param source where the data came from, without credentials (scheme, bucket or directory, prefix)
 * @param options the options the backup ran with
 * @param sourceFindings the warnings and errors the consistency check found in what the backup
 *     copied; empty when the manifest predates the record (written by influxbak before 0.2)
 * @param entries every object of the backup
 */
public record BackupManifest(
    int formatVersion,
    String backupId,
    Instant createdAt,
    String libraryVersion,
    Product product,
    List<NodeId> nodes,
    Optional<ClusterId> cluster,
    OptionalLong pinnedSnapshotSequence,
    String source,
    Map<String, String> options,
    Optional<List<SourceFinding>> sourceFindings,
    List<ManifestEntry> entries) {
  /**
   * The option that records the lock the backup put on its objects when it completed: {@code none},
   * or {@code <mode> until <instant>} ({@link ObjectLock#toString}).
   */
  public static final String LOCK_OPTION = "lock";

  /** Checks the parts and copies the collections. */
  public BackupManifest {
    requireNonNull(backupId, "backupId is null");
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(libraryVersion, "libraryVersion is null");
    requireNonNull(product, "product is null");
    nodes = ImmutableList.copyOf(nodes);
    requireNonNull(cluster, "cluster is null");
    requireNonNull(pinnedSnapshotSequence, "pinnedSnapshotSequence is null");
    requireNonNull(source, "source is null");
    options = ImmutableMap.copyOf(options);
    sourceFindings = sourceFindings.map(ImmutableList::copyOf);
    entries = ImmutableList.copyOf(entries);
    checkArgument(formatVersion >= 1, "formatVersion must be at least 1: %s", formatVersion);
  }

  /** The entry for {@code key}, if the backup holds it. */
  public Optional<ManifestEntry> entry(ObjectKey key) {
    return entries.stream().filter(e -> e.key().equals(key)).findFirst();
  }

  /** The same manifest listing {@code entries} and recording {@code sourceFindings}. */
  public BackupManifest completed(List<SourceFinding> sourceFindings, List<ManifestEntry> entries) {
    return new BackupManifest(
        formatVersion,
        backupId,
        createdAt,
        libraryVersion,
        product,
        nodes,
        cluster,
        pinnedSnapshotSequence,
        source,
        options,
        Optional.of(sourceFindings),
        entries);
  }

  /**
   * Whether {@code key}, if the backup lacks it, was already absent at the source when the backup
   * ran: a finding about it is recorded; for a manifest without the record, whenever it is not
   * listed (the backup copied every object the source had at its consistency point).
   */
  public boolean absentAtSource(ObjectKey key) {
    return sourceFindings.isPresent()
        ? sourceFindings.get().stream().anyMatch(f -> f.key().equals(key))
        : entry(key).isEmpty();
  }

  /** Whether the consistency check found an error in what the backup copied. */
  public boolean sourceHasErrors() {
    return SourceFinding.errors(sourceFindings.orElse(List.of())) > 0;
  }

  /**
   * The lock the backup put on every object it needs when it completed ({@link #LOCK_OPTION});
   * empty for a backup without locks, or a value this version does not read. Later prunes and
   * backups may have extended the locks since: the store ({@code ObjectReader.lockOf}) has the
   * current ones.
   */
  public Optional<ObjectLock> lock() {
    return ObjectLock.parse(options.getOrDefault(LOCK_OPTION, "none"));
  }

  /** Bytes in the backup. */
  public long byteCount() {
    return entries.stream().mapToLong(ManifestEntry::size).sum();
  }
}
