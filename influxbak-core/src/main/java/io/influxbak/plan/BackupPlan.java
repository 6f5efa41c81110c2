package io.influxbak.plan;

import static java.util.Objects.requireNonNull;

import com.google.common.base.Stopwatch;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import io.influxbak.layout.CoreLayout;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.NodeObject;
import io.influxbak.layout.ObjectKind;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.WriteMode;
import io.influxbak.transfer.ExpectedContent;
import io.influxbak.transfer.HashingInputStream.HashSet;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.annotation.concurrent.Immutable;

/**
 * Backs up an InfluxDB 3 node. The entry point:
 *
 * <pre>{@code
 * BackupResult result = BackupPlan.core("node0").execute(store);
 * }</pre>
 *
 * <p>The one-store form {@link #execute(ObjectStore)} writes the backup inside the same store under {@code
 * <backup-id>/<node-id>/}, as the InfluxDB docs' scripts name their backups ({@code backup-<UTC
 * yyyyMMdd-HHmmss>} unless {@link BackupOptions.Builder#backupId} says otherwise); in an object store the
 * copies are server-side. The two-store form {@link #execute(ObjectStore, ObjectStore)} writes the same tree
 * into another store.
 *
 * <p>Objects are copied in {@link CopyOrder#CORE_BACKUP} order, phase by phase, in parallel inside a phase;
 * every byte streamed is hashed and checked against the size it must have. Every key under the node prefix
 * is classified: file-store staging files and (by default) table snapshots are left out and reported,
 * unknown objects are copied and reported. Nothing is ever written outside {@code <backup-id>/}, and the
 * source is never modified.
 */
@Immutable
public final class BackupPlan {
  /** Kinds the server deletes on its own, so they may vanish between listing and copy. */
  private static final Set<ObjectKind> SERVER_DELETES =
      ImmutableSet.of(
          ObjectKind.WAL,
          ObjectKind.PARQUET,
          ObjectKind.TABLE_SNAPSHOT,
          ObjectKind.TABLE_INDEX,
          ObjectKind.SNAPSHOT_CHECKPOINT,
          ObjectKind.CATALOG_RESTORE_STAGING);

  private static final DateTimeFormatter BACKUP_ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final NodeId node;
  private final BackupOptions options;

  private BackupPlan(NodeId node, BackupOptions options) {
    this.node = node;
    this.options = options;
  }

  /**
   * A plan for one InfluxDB 3 Core node.
   *
   * @throws io.influxbak.store.InvalidKeyException if the node id is not a single valid key segment
   */
  public static BackupPlan core(String nodeId) {
    return core(NodeId.of(nodeId));
  }

  /** A plan for one InfluxDB 3 Core node. */
  public static BackupPlan core(NodeId nodeId) {
    return new BackupPlan(requireNonNull(nodeId, "nodeId is null"), BackupOptions.defaults());
  }

  /** The same plan with other options. */
  public BackupPlan withOptions(BackupOptions options) {
    return new BackupPlan(node, requireNonNull(options, "options is null"));
  }

  /** The node this plan backs up. */
  public NodeId node() {
    return node;
  }

  /** This plan's options. */
  public BackupOptions options() {
    return options;
  }

  /**
   * Backs up the node inside {@code store}, under {@code <backup-id>/<node-id>/}.
   *
   * @throws NodeNotFoundException if the store holds nothing under the node prefix
   * @throws DestinationNotEmptyException if {@code <backup-id>/} already holds objects
   * @throws TransferFailedException if objects could not be copied (naming each and why)
   */
  public BackupResult execute(ObjectStore store) throws IOException {
    return execute(store, store);
  }

  /**
   * Backs up the node from {@code source} into {@code destination}, under {@code <backup-id>/<node-id>/}.
   *
   * @throws NodeNotFoundException if the source holds nothing under the node prefix
   * @throws DestinationNotEmptyException if {@code <backup-id>/} already holds objects in the destination
   * @throws TransferFailedException if objects could not be copied (naming each and why)
   */
  public BackupResult execute(ObjectStore source, ObjectStore destination) throws IOException {
    requireNonNull(source, "source is null");
    requireNonNull(destination, "destination is null");
    Instant startedAt = options.clock().instant();
    Stopwatch stopwatch = Stopwatch.createStarted();
    String backupId = options.backupId().orElseGet(() -> "backup-" + BACKUP_ID_TIME.format(startedAt));
    KeyPrefix backupRoot = BackupIds.root(backupId);
    if (source == destination && (backupRoot.contains(node.prefix()) || node.prefix().contains(backupRoot))) {
      throw new IllegalArgumentException(
          "Backup id " + backupId + " and node prefix " + node.prefix() + " overlap in the same store");
    }

    List<CopyStep> steps = new ArrayList<>();
    List<ReportedObject> reported = new ArrayList<>();
    plan(source, backupRoot, steps, reported);
    requireEmpty(destination, backupRoot);

    PhasedTransfer.Result result;
    try (CopyExecutor executor = new CopyExecutor(options.executor(), options.parallelism())) {
      String operation = "backup of " + node.prefix();
      ObjectCopier.Settings settings =
          new ObjectCopier.Settings(
              WriteMode.CREATE_NEW,
              options.sha256() ? HashSet.CRC32C_AND_SHA256 : HashSet.CRC32C,
              options.retryPolicy(),
              options.cancellation(),
              operation);
      ObjectCopier copier = new ObjectCopier(source, KeyPrefix.ROOT, destination, backupRoot, settings);
      result =
          PhasedTransfer.run(
              operation,
              CopyOrder.CORE_BACKUP,
              steps,
              options.progress(),
              copier,
              new PhaseRunner(executor.executor(), options.parallelism(), options.cancellation(), operation),
              SERVER_DELETES,
              step -> Optional.<ExpectedContent>empty());
    }
    reported.addAll(result.vanished());
    for (CopiedObject copied : result.copied()) {
      if (copied.kind() == ObjectKind.UNKNOWN) {
        reported.add(
            new ReportedObject(
                copied.key(), copied.kind(), ReportedObject.Disposition.COPIED_UNKNOWN, "not an InfluxDB 3 object kind influxbak knows; copied as is"));
      }
    }
    return new BackupResult(
        backupId,
        source.id(),
        destination.id(),
        backupRoot,
        ImmutableList.of(node),
        result.phases(),
        result.copied(),
        reported,
        startedAt,
        stopwatch.elapsed());
  }

  private void plan(ObjectStore source, KeyPrefix backupRoot, List<CopyStep> steps, List<ReportedObject> reported)
      throws IOException {
    CoreLayout layout = CoreLayout.of(node);
    boolean any = false;
    try (ObjectIterator listing = source.list(node.prefix())) {
      while (listing.hasNext()) {
        ObjectInfo info = listing.next();
        any = true;
        NodeObject object = layout.classify(info.key());
        Optional<CopyPhase> phase = CopyPhase.of(object.kind());
        if (phase.isEmpty()) {
          reported.add(
              new ReportedObject(info.key(), object.kind(), ReportedObject.Disposition.EXCLUDED, "file-store staging file of an unfinished upload"));
        } else if (object.kind() == ObjectKind.TABLE_SNAPSHOT && !options.includeTableSnapshots()) {
          reported.add(
              new ReportedObject(
                  info.key(), object.kind(), ReportedObject.Disposition.EXCLUDED, "table snapshots are regenerated by the server on restart"));
        } else {
          steps.add(new CopyStep(info.key(), object.kind(), phase.get(), info.size()));
        }
      }
    }
    if (!any) {
      throw new NodeNotFoundException(source.id(), node.prefix());
    }
  }

  /** Fails unless nothing lies under {@code prefix} in {@code store}. */
  static void requireEmpty(ObjectStore store, KeyPrefix prefix) throws IOException {
    List<ObjectKey> existing = new ArrayList<>();
    try (ObjectIterator listing = store.list(prefix)) {
      while (listing.hasNext() && existing.size() < 10) {
        existing.add(listing.next().key());
      }
    }
    if (!existing.isEmpty()) {
      throw new DestinationNotEmptyException(store.id(), prefix, existing);
    }
  }
}
