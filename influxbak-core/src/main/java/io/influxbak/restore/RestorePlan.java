package io.influxbak.restore;

import static java.util.Objects.requireNonNull;

import com.google.common.base.Stopwatch;
import io.influxbak.backup.BackupPlan;
import io.influxbak.consistency.ClusterConsistencyReport;
import io.influxbak.consistency.ConsistencyCheck;
import io.influxbak.consistency.ConsistencyReport;
import io.influxbak.encryption.DataKey;
import io.influxbak.layout.ClusterId;
import io.influxbak.layout.CopyOrder;
import io.influxbak.layout.CopyPhase;
import io.influxbak.layout.EnterpriseLayout;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.ObjectKind;
import io.influxbak.lease.HeldLease;
import io.influxbak.lease.Leases;
import io.influxbak.manifest.BackupManifest;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupNotFoundException;
import io.influxbak.repository.BackupRepository;
import io.influxbak.repository.DestinationNotEmptyException;
import io.influxbak.repository.IncompleteBackupException;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.StoreLocation;
import io.influxbak.task.CopyEngine;
import io.influxbak.task.Distribution;
import io.influxbak.task.LocatedStores;
import io.influxbak.transfer.AlongsideRead;
import io.influxbak.transfer.CopyStep;
import io.influxbak.transfer.PhasedTransfer;
import io.influxbak.transfer.ReportedObject;
import io.influxbak.transfer.Reports;
import io.influxbak.transfer.Retries;
import io.influxbak.transfer.RetryPolicy;
import io.influxbak.transfer.TransferFailedException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.annotation.Nullable;
import javax.annotation.concurrent.Immutable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores a backup made by {@link BackupPlan} into a target store, driven by its manifest, in
 * {@link CopyOrder#CORE_RESTORE} (or {@link CopyOrder#ENTERPRISE_RESTORE}) order: catalog first,
 * snapshot files last, so that a server never sees a snapshot whose Parquet files are not there
 * yet.
 *
 * <pre>{@code
 * RestoreResult result = RestorePlan.of("backup-20261124-101500").execute(backupStore, targetStore);
 * RestorePreview plan = RestorePlan.of("backup-20261124-101500").preview(backupStore, targetStore); // dry run
 * }</pre>
 *
 * <p>Every object of the manifest is restored to its node key in the target and checked as it is
 * copied against the size, CRC32C and SHA-256 the manifest records: a mismatch stops the restore
 * and names the object, and nothing mismatching is published. A backup without a manifest is
 * refused unless {@link RestoreOptions.Builder#allowIncomplete()}. The target's node (and cluster)
 * prefixes must be empty, since newer snapshot or WAL files left there would be loaded by the
 * server and win, unless {@link RestoreOptions.Builder#replaceExisting()}. Nothing outside those
 * prefixes is ever written or deleted. Enterprise licence files are restored only to the location
 * the manifest says they came from, unless the caller leaves them out or accepts the move. Once the
 * copy is done, the consistency check runs on every restored node of the target (judged as strictly
 * as a backup) and its reports are part of the result.
 */
@Immutable
public final class RestorePlan {
  private static final Logger LOG = LoggerFactory.getLogger(RestorePlan.class);

  private final String backupId;
  private final RestoreOptions options;
  private final Optional<ClusterId> cluster;
  private final Optional<NodeId> compactor;

  private RestorePlan(
      String backupId,
      RestoreOptions options,
      Optional<ClusterId> cluster,
      Optional<NodeId> compactor) {
    this.backupId = backupId;
    this.options = options;
    this.cluster = cluster;
    this.compactor = compactor;
  }

  /**
   * A plan restoring the backup {@code backupId}.
   *
   * @throws io.influxbak.store.InvalidKeyException if the id is not a valid key segment
   */
  public static RestorePlan of(String backupId) {
    requireNonNull(backupId, "backupId is null");
    BackupId.of(backupId);
    return new RestorePlan(backupId, RestoreOptions.defaults(), Optional.empty(), Optional.empty());
  }

  /**
   * The same plan for an incomplete backup (no manifest) of an Enterprise cluster: {@code
   * <cluster-id>/} holds the cluster files, every other prefix a node, and {@code compactorNodeId},
   * when not null, names the compactor. A complete backup's manifest says all this itself.
   */
  public RestorePlan enterprise(String clusterId, @Nullable String compactorNodeId) {
    return new RestorePlan(
        backupId,
        options,
        Optional.of(ClusterId.of(clusterId)),
        Optional.ofNullable(compactorNodeId).map(NodeId::of));
  }

  /** The same plan with other options. */
  public RestorePlan withOptions(RestoreOptions options) {
    return new RestorePlan(
        backupId, requireNonNull(options, "options is null"), cluster, compactor);
  }

  /**
   * What {@link #execute} would do, without writing anything: the objects in restore order, and
   * what the target already holds in the prefixes the restore writes.
   */
  public RestorePreview preview(ObjectStore backupStore, ObjectStore target) throws IOException {
    RestorePlanner.Planned planned =
        new RestorePlanner(backupId, options, cluster, compactor).plan(backupStore, target);
    List<ObjectKey> existing = new ArrayList<>();
    for (KeyPrefix prefix : planned.prefixes()) {
      existing.addAll(BackupRepository.firstKeys(target, prefix));
    }
    List<CopyStep> ordered = new ArrayList<>();
    for (CopyPhase phase : planned.order().phases()) {
      planned.steps().stream().filter(step -> step.phase() == phase).forEach(ordered::add);
    }
    return new RestorePreview(backupId, planned.manifest().isPresent(), ordered, existing);
  }

  /**
   * Restores the backup from {@code backupStore} into {@code target}.
   *
   * @throws BackupNotFoundException if the backup store holds nothing for the backup
   * @throws IncompleteBackupException if the backup has no manifest and incomplete backups are not
   *     allowed
   * @throws io.influxbak.manifest.ManifestException if the manifest cannot be trusted
   * @throws DestinationNotEmptyException if a node prefix in the target holds objects (nothing is
   *     written)
   * @throws LicenseRelocationException if licence files would move to where they were not issued
   *     for
   * @throws TransferFailedException if objects could not be copied or did not match the manifest
   * @throws io.influxbak.lease.LeaseHeldException if another restore into one of the same prefixes
   *     of {@code target} runs (nothing is written)
   */
  public RestoreResult execute(ObjectStore backupStore, ObjectStore target) throws IOException {
    requireNonNull(backupStore, "backupStore is null");
    requireNonNull(target, "target is null");
    return execute(backupStore, target, Optional.empty());
  }

  /**
   * Restores as {@link #execute(ObjectStore, ObjectStore)} does, with the copies made by {@code
   * engine}: this process plans, checks the backup and the target, holds the lease and writes and
   * removes the restore markers; each phase's copies go to the engine as {@link
   * io.influxbak.task.CopyTask}s, which open the stores from these locations where they run, and
   * the phase ends when all its tasks have.
   *
   * @throws IllegalArgumentException if the backup is encrypted (a task would carry its data key)
   */
  public RestoreResult execute(StoreLocation backups, StoreLocation target, CopyEngine engine)
      throws IOException {
    requireNonNull(backups, "backups is null");
    requireNonNull(target, "target is null");
    requireNonNull(engine, "engine is null");
    try (LocatedStores stores = LocatedStores.open(backups, target)) {
      return execute(
          stores.source(),
          stores.destination(),
          Optional.of(new Distribution(engine, backups, target)));
    }
  }

  private RestoreResult execute(
      ObjectStore backupStore, ObjectStore target, Optional<Distribution> distribution)
      throws IOException {
    Instant startedAt = options.transfer().clock().instant();
    Stopwatch stopwatch = Stopwatch.createStarted();
    // The backup's own root is listed for the check before the first write while the manifest is
    // read and the target checked: the listing of a large backup takes as long as its manifest.
    try (AlongsideRead<Map<ObjectKey, ObjectInfo>> backupListing =
        RestorePrecheck.listAlongside(backupStore, backupId, options.transfer())) {
      RestorePlanner.Planned planned =
          new RestorePlanner(backupId, options, cluster, compactor).plan(backupStore, target);
      try (HeldLease lease =
          Leases.in(target, options.lease()).restore(backupId, planned.prefixes())) {
        try {
          return restore(
              planned,
              backupStore,
              backupListing,
              lease.guard(target),
              distribution,
              startedAt,
              stopwatch);
        } catch (IOException e) {
          throw lease.explain(e);
        }
      }
    }
  }

  /** The restore itself, each change to {@code target} checked against the restore's lease. */
  private RestoreResult restore(
      RestorePlanner.Planned planned,
      ObjectStore backupStore,
      AlongsideRead<Map<ObjectKey, ObjectInfo>> backupListing,
      ObjectStore target,
      Optional<Distribution> distribution,
      Instant startedAt,
      Stopwatch stopwatch)
      throws IOException {
    RetryPolicy retry = options.transfer().retryPolicy();
    if (options.resume()) {
      for (KeyPrefix prefix : planned.prefixes()) {
        if (RestoreMarkers.incomplete(target, List.of(prefix), retry).isEmpty()) {
          throw new IOException(
              "Cannot resume the restore into "
                  + prefix
                  + " in "
                  + target.id()
                  + ": no restore there was interrupted (no "
                  + RestoreMarkers.marker(prefix)
                  + ")");
        }
      }
    } else if (!options.replaceExisting()) {
      Optional<KeyPrefix> interrupted =
          RestoreMarkers.incomplete(target, planned.prefixes(), retry);
      if (interrupted.isPresent()) {
        throw new IOException(
            "Cannot restore into "
                + interrupted.get()
                + " in "
                + target.id()
                + ": an earlier restore there did not complete ("
                + RestoreMarkers.marker(interrupted.get())
                + "); finish it with resume (--resume) or redo it with replaceExisting (--replace)");
      }
      for (KeyPrefix prefix : planned.prefixes()) {
        Retries.running(
            retry,
            "check that " + prefix + " is empty",
            () -> {
              BackupRepository.requireEmpty(target, prefix);
            });
      }
    }
    // Before the first write: everything the restore will read is there, as the manifest says.
    if (planned.manifest().isPresent()) {
      RestorePrecheck.check(backupStore, planned.manifest().get(), backupListing.get(), retry);
    }
    Map<String, DataKey> dataKeys =
        RestorePrecheck.dataKeys(
            backupStore, backupId, planned.stored().values(), options.keys(), retry);
    if (distribution.isPresent() && !dataKeys.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot restore encrypted backup "
              + backupId
              + " through an engine: every task would carry its data key; restore it in one"
              + " process");
    }
    RestoreMarkers.write(target, planned.prefixes(), backupId, startedAt, retry);
    // What restores killed before this one left (a file store's temporary files) goes first.
    List<ReportedObject> reported = new ArrayList<>(planned.reported());
    for (KeyPrefix prefix : planned.prefixes()) {
      for (ObjectKey leftover :
          Retries.retrying(
              retry,
              "remove temporary files under " + prefix,
              () -> target.removeIncompleteWrites(prefix))) {
        reported.add(
            new ReportedObject(
                leftover,
                ObjectKind.UNKNOWN,
                ReportedObject.Disposition.DELETED,
                "temporary file of an interrupted write; deleted"));
      }
    }
    Set<ObjectKey> restoredKeys = new HashSet<>();
    planned.steps().forEach(step -> restoredKeys.add(step.key()));
    List<CopyStep> steps =
        options.resume() ? RestoreMarkers.notYetRestored(target, planned, retry) : planned.steps();

    PhasedTransfer.Result result =
        RestoreCopies.transfer(
            options, distribution, planned, backupId, dataKeys, backupStore, target, steps);
    if (options.replaceExisting()) {
      reported.addAll(deleteLeftovers(target, planned, restoredKeys));
    }
    reported.addAll(result.vanished());
    RestoreMarkers.delete(target, planned.prefixes(), retry); // every object is in place
    List<ConsistencyReport> consistency = new ArrayList<>();
    if (planned.manifest().isPresent()) {
      // The findings a check of the backup gives, by the same rules: a Parquet file the source had
      // already lost is the same warning, one the backup recorded and the restore lacks an error.
      BackupManifest manifest = planned.manifest().get();
      consistency.addAll(
          Retries.retrying(
              retry,
              "check the restored nodes",
              () -> ConsistencyCheck.checkBackup(target, KeyPrefix.ROOT, manifest)));
    } else if (cluster.isPresent()) {
      // Enterprise nodes keep no catalog of their own: it is checked under the cluster prefix.
      EnterpriseLayout layout = EnterpriseLayout.of(cluster.get(), planned.nodes(), compactor);
      ClusterConsistencyReport report =
          Retries.retrying(
              retry,
              "check the restored cluster",
              () ->
                  ConsistencyCheck.checkCluster(
                      target, KeyPrefix.ROOT, layout, ConsistencyCheck.Source.BACKUP));
      consistency.addAll(report.reports());
    } else {
      for (NodeId node : planned.nodes()) {
        consistency.add(
            Retries.retrying(
                retry,
                "check the restored node " + node,
                () ->
                    ConsistencyCheck.check(
                        target, KeyPrefix.ROOT, node, ConsistencyCheck.Source.BACKUP)));
      }
    }
    Reports.announce("Restore of " + backupId, reported, options.transfer().progress());
    LOG.info(
        "Restore of {} complete: {} objects into {}, in {}",
        backupId,
        result.copied().size(),
        target.id(),
        stopwatch);
    return new RestoreResult(
        backupId,
        backupStore.id(),
        target.id(),
        planned.nodes(),
        result.phases(),
        result.copied(),
        reported,
        consistency,
        startedAt,
        stopwatch.elapsed());
  }

  /** With replaceExisting: deletes what the restored prefixes hold that the backup does not. */
  private List<ReportedObject> deleteLeftovers(
      ObjectStore target, RestorePlanner.Planned planned, Set<ObjectKey> restored)
      throws IOException {
    List<ReportedObject> deleted = new ArrayList<>();
    for (KeyPrefix prefix : planned.prefixes()) {
      List<ObjectKey> leftovers = new ArrayList<>();
      try (ObjectIterator listing = target.list(prefix)) {
        while (listing.hasNext()) {
          ObjectKey key = listing.next().key();
          boolean keptLicense =
              options.licenses() == RestoreOptions.LicenseHandling.EXCLUDE
                  && key.parent().equals(prefix)
                  && EnterpriseLayout.LICENSE_FILES.contains(key.name());
          if (!restored.contains(key)
              && !keptLicense
              && !key.equals(RestoreMarkers.marker(prefix))) {
            leftovers.add(key);
          }
        }
      }
      for (ObjectKey key : leftovers) {
        target.delete(key);
        deleted.add(
            new ReportedObject(
                key,
                ObjectKind.UNKNOWN,
                ReportedObject.Disposition.DELETED,
                "not in the backup; deleted to replace the node"));
      }
    }
    return deleted;
  }
}
