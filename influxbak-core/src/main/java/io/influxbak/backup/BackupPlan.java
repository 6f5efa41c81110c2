package io.influxbak.backup;

import static java.util.Objects.requireNonNull;

import io.influxbak.layout.ClusterId;
import io.influxbak.layout.CopyOrder;
import io.influxbak.layout.NodeId;
import io.influxbak.lease.HeldLease;
import io.influxbak.lease.LeaseHeldException;
import io.influxbak.lease.LeaseLostException;
import io.influxbak.lease.Leases;
import io.influxbak.pin.PinLostException;
import io.influxbak.repository.DestinationNotEmptyException;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.StoreLocation;
import io.influxbak.task.CopyEngine;
import io.influxbak.task.Distribution;
import io.influxbak.task.LocatedStores;
import io.influxbak.transfer.TransferFailedException;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.annotation.concurrent.Immutable;

/**
 * Backs up an InfluxDB 3 Core node or an Enterprise cluster. The entry points:
 *
 * <pre>{@code
 * BackupResult core = BackupPlan.core("node0").execute(store);
 * BackupResult cluster = BackupPlan.enterprise("cluster0").nodes("node0", "node1").compactor("compactor0").execute(store);
 * }</pre>
 *
 * <p>The one-store form {@link #execute(ObjectStore)} writes the backup inside the same store under
 * {@code <backup-id>/}, as the InfluxDB docs' scripts name their backups ({@code backup-<UTC
 * yyyyMMdd-HHmmss>} unless {@link BackupOptions.Builder#backupId} says otherwise); in an object
 * store the copies are server-side. The two-store form {@link #execute(ObjectStore, ObjectStore)}
 * writes the same tree into another store. Every prefix backed up keeps its place under {@code
 * <backup-id>/}.
 *
 * <p>Objects are copied in {@link CopyOrder#CORE_BACKUP} (or {@link CopyOrder#ENTERPRISE_BACKUP})
 * order, phase by phase, in parallel inside a phase; every byte streamed is hashed and checked
 * against the size it must have. Every key under the backed-up prefixes is classified: file-store
 * staging files and (by default) table snapshots and the Enterprise backup tool's {@code backups/}
 * are left out and reported, unknown objects are copied and reported, absent licence files are
 * reported. Nothing is ever written outside {@code <backup-id>/}, and the source is never modified.
 *
 * <p>By default each node is pinned to its newest snapshot ({@link BackupOptions#pinned()}), so
 * that the backup is consistent while the server writes: the snapshots are read first; exactly the
 * Parquet files live at the pin are copied (orphans left out unless {@link
 * BackupOptions.Builder#keepOrphans}), then every WAL file listed, then the catalog, last, topped
 * up with the logs written meanwhile so that it covers every snapshot and WAL file copied. Derived
 * objects (table snapshots, table indexes, the conversion marker, snapshot checkpoints) are kept
 * only when the copies, judged together, are consistent with the pin (none newer, no pending table
 * snapshot missing, which the table-snapshot default leaves out whenever one is pending); otherwise
 * all of them are left out and reported, and the server rebuilds them from the snapshots on start.
 * When the server deletes objects the pin needs before they are copied, the backup re-pins to the
 * newest snapshot; after a bounded number of re-pins it fails with {@link PinLostException}. The
 * result states the point each node is consistent to ({@link BackupResult#consistencyPoints()}).
 *
 * <p>A backup first writes {@code <backup-id>/backup-started.json} and, only once every phase has
 * completed, {@code <backup-id>/manifest.json} ({@link io.influxbak.manifest.ManifestFormat}): a
 * backup without a manifest is incomplete and is never restored without an explicit override.
 */
@Immutable
public final class BackupPlan {
  private final BackupTarget target;
  private final BackupOptions options;

  private BackupPlan(BackupTarget target, BackupOptions options) {
    this.target = target;
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
    return new BackupPlan(new BackupTarget.CoreNode(nodeId), BackupOptions.defaults());
  }

  /**
   * A plan for an InfluxDB 3 Enterprise cluster; name its data nodes with {@link #nodes} and its
   * compactor with {@link #compactor}.
   *
   * @throws io.influxbak.store.InvalidKeyException if the cluster id is not a single valid key
   *     segment
   */
  public static BackupPlan enterprise(String clusterId) {
    return new BackupPlan(
        new BackupTarget.EnterpriseCluster(ClusterId.of(clusterId), List.of(), Optional.empty()),
        BackupOptions.defaults());
  }

  /**
   * The same Enterprise plan with these data nodes.
   *
   * @throws IllegalStateException on a Core plan
   */
  public BackupPlan nodes(String... nodeIds) {
    BackupTarget.EnterpriseCluster cluster = enterpriseTarget("nodes");
    List<NodeId> nodes = Arrays.stream(nodeIds).map(NodeId::of).toList();
    return new BackupPlan(
        new BackupTarget.EnterpriseCluster(cluster.id(), nodes, cluster.compactor()), options);
  }

  /**
   * The same Enterprise plan with this compactor node (whose {@code cs/}, {@code cd/}, {@code c/}
   * are copied first).
   *
   * @throws IllegalStateException on a Core plan
   */
  public BackupPlan compactor(String nodeId) {
    BackupTarget.EnterpriseCluster cluster = enterpriseTarget("compactor");
    return new BackupPlan(
        new BackupTarget.EnterpriseCluster(
            cluster.id(), cluster.dataNodes(), Optional.of(NodeId.of(nodeId))),
        options);
  }

  /** The same plan with other options. */
  public BackupPlan withOptions(BackupOptions options) {
    return new BackupPlan(target, requireNonNull(options, "options is null"));
  }

  /** The nodes this plan backs up (for a cluster: the data nodes, then the compactor). */
  public List<NodeId> nodes() {
    return target.nodes();
  }

  /** The cluster this plan backs up, for an Enterprise plan. */
  public Optional<ClusterId> cluster() {
    return target.cluster();
  }

  /** This plan's options. */
  public BackupOptions options() {
    return options;
  }

  /**
   * Backs up inside {@code store}, under {@code <backup-id>/}.
   *
   * @throws NodeNotFoundException if the store holds nothing under a node (or the cluster) prefix
   * @throws DestinationNotEmptyException if {@code <backup-id>/} already holds objects
   * @throws TransferFailedException if objects could not be copied (naming each and why)
   */
  public BackupResult execute(ObjectStore store) throws IOException {
    return execute(store, store);
  }

  /**
   * Backs up from {@code source} into {@code destination}, under {@code <backup-id>/}.
   *
   * @throws NodeNotFoundException if the source holds nothing under a node (or the cluster) prefix
   * @throws DestinationNotEmptyException if {@code <backup-id>/} already holds objects in the
   *     destination
   * @throws TransferFailedException if objects could not be copied (naming each and why)
   * @throws LeaseHeldException if another run backs up (or resumes) the same backup id, or a prune
   *     still runs after the lease settings' wait; nothing is written
   * @throws LeaseLostException if another run took the lease over (this run had stalled past its
   *     expiry) or an operator broke it: the run stopped before its next change, with no manifest
   * @throws IllegalStateException for an Enterprise plan without nodes
   * @throws IllegalArgumentException if the options ask for a lock and the destination has no
   *     object locks; nothing is written
   */
  public BackupResult execute(ObjectStore source, ObjectStore destination) throws IOException {
    requireNonNull(source, "source is null");
    requireNonNull(destination, "destination is null");
    return execute(source, destination, Optional.empty());
  }

  /**
   * Backs up from {@code source} into {@code destination} as {@link #execute(ObjectStore,
   * ObjectStore)} does, with the copies made by {@code engine}: this process (the driver) lists,
   * pins and re-pins, claims the backup's root, holds the lease and writes the manifest last; each
   * phase's copies go to the engine as {@link io.influxbak.task.CopyTask}s, which open the stores
   * from these locations where they run and record what they copied in the backup's journal, and
   * the phase ends when all its tasks have. The same location twice is one store (copied in it
   * server-side where it can).
   *
   * @throws IllegalArgumentException if the options ask for encryption (a task would carry the
   *     backup's data key); nothing is written
   * @throws TransferFailedException if objects could not be copied, or the engine did not report
   *     each exactly once (naming each and why)
   * @throws IOException if the engine gave up on a task; the backup stays incomplete and resumes as
   *     any backup does
   */
  public BackupResult execute(StoreLocation source, StoreLocation destination, CopyEngine engine)
      throws IOException {
    requireNonNull(source, "source is null");
    requireNonNull(destination, "destination is null");
    requireNonNull(engine, "engine is null");
    if (options.encryption().isPresent()) {
      throw new IllegalArgumentException(
          "Cannot encrypt a backup whose copies an engine makes: every task would carry the"
              + " backup's data key; back it up in one process");
    }
    try (LocatedStores stores = LocatedStores.open(source, destination)) {
      return execute(
          stores.source(),
          stores.destination(),
          Optional.of(new Distribution(engine, source, destination)));
    }
  }

  private BackupResult execute(
      ObjectStore source, ObjectStore destination, Optional<Distribution> distribution)
      throws IOException {
    if (options.lock().isPresent() && !destination.capabilities().objectLocks()) {
      throw new IllegalArgumentException(
          "Cannot lock the backup: " + destination.id() + " has no object locks");
    }
    Instant startedAt = options.transfer().clock().instant();
    String backupId = options.backupIdAt(startedAt).toString();
    List<String> nodes = target.nodes().stream().map(NodeId::toString).toList();
    try (HeldLease lease =
        Leases.in(destination, options.lease()).backup(backupId, nodes, options.resume())) {
      try {
        return BackupRun.start(target, options, source, startedAt, lease, distribution).execute();
      } catch (IOException e) {
        throw lease.explain(e);
      }
    }
  }

  private BackupTarget.EnterpriseCluster enterpriseTarget(String method) {
    if (target instanceof BackupTarget.EnterpriseCluster cluster) {
      return cluster;
    }
    throw new IllegalStateException(
        method + "(...) applies to Enterprise plans; a Core plan backs up one node");
  }
}
