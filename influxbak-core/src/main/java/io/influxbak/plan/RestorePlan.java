package io.influxbak.plan;

import static java.util.Objects.requireNonNull;

import com.google.common.base.Stopwatch;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import io.influxbak.layout.ClusterId;
import io.influxbak.layout.CoreLayout;
import io.influxbak.layout.EnterpriseLayout;
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
import io.influxbak.transfer.HashingInputStream.Hashes;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import javax.annotation.Nullable;
import javax.annotation.concurrent.Immutable;

/**
 * Restores a backup made by {@link BackupPlan} into a target store, in {@link CopyOrder#CORE_RESTORE} order
 * (the reverse of the backup order: catalog first, snapshot files last, so that a server never sees a
 * snapshot whose Parquet files are not there yet).
 *
 * <pre>{@code
 * RestoreResult result = RestorePlan.of("backup-20261124-101500").execute(backupStore, targetStore);
 * }</pre>
 *
 * <p>Every node of the backup ({@code <backup-id>/<node-id>/...}) is restored to {@code <node-id>/...} of
 * the target, whose node prefixes must be empty: newer snapshot or WAL files left there would be loaded by
 * the server and win. Nothing outside those node prefixes is written.
 */
@Immutable
public final class RestorePlan {
  private final String backupId;
  private final RestoreOptions options;
  private final Optional<ClusterId> cluster;
  private final Optional<NodeId> compactor;

  private RestorePlan(String backupId, RestoreOptions options, Optional<ClusterId> cluster, Optional<NodeId> compactor) {
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
    BackupIds.root(backupId);
    return new RestorePlan(backupId, RestoreOptions.defaults(), Optional.empty(), Optional.empty());
  }

  /**
   * The same plan for a backup of an Enterprise cluster: {@code <cluster-id>/} holds the cluster files, every
   * other prefix a node, and {@code compactorNodeId}, when not null, names the compactor. Restores in {@link
   * CopyOrder#ENTERPRISE_RESTORE} order; licence files follow {@link RestoreOptions#licenses()}.
   */
  public RestorePlan enterprise(String clusterId, @Nullable String compactorNodeId) {
    return new RestorePlan(
        backupId, options, Optional.of(ClusterId.of(clusterId)), Optional.ofNullable(compactorNodeId).map(NodeId::of));
  }

  /** The same plan with other options. */
  public RestorePlan withOptions(RestoreOptions options) {
    return new RestorePlan(backupId, requireNonNull(options, "options is null"), cluster, compactor);
  }

  /**
   * Restores every node of the backup from {@code backupStore} into {@code target}.
   *
   * @throws BackupNotFoundException if the backup store holds no node data for the backup
   * @throws DestinationNotEmptyException if a node prefix in the target holds objects (nothing is written)
   * @throws TransferFailedException if objects could not be copied (naming each and why)
   */
  public RestoreResult execute(ObjectStore backupStore, ObjectStore target) throws IOException {
    requireNonNull(backupStore, "backupStore is null");
    requireNonNull(target, "target is null");
    Instant startedAt = options.clock().instant();
    Stopwatch stopwatch = Stopwatch.createStarted();
    KeyPrefix backupRoot = BackupIds.root(backupId);

    List<CopyStep> steps = new ArrayList<>();
    List<ReportedObject> reported = new ArrayList<>();
    TreeSet<NodeId> nodes = new TreeSet<>();
    Optional<EnterpriseLayout> layout = cluster.map(c -> EnterpriseLayout.of(c, ImmutableList.of(), compactor));
    try (ObjectIterator listing = backupStore.list(backupRoot)) {
      while (listing.hasNext()) {
        ObjectInfo info = listing.next();
        String relative = info.key().relativeTo(backupRoot);
        int slash = relative.indexOf('/');
        if (slash < 0) {
          continue; // the backup's own files (manifest), not node data
        }
        String segment = relative.substring(0, slash);
        ObjectKey targetKey = ObjectKey.of(relative);
        NodeObject object;
        if (layout.isPresent() && segment.equals(layout.get().cluster().toString())) {
          object = layout.get().classifyClusterKey(targetKey);
        } else {
          NodeId node = NodeId.of(segment);
          nodes.add(node);
          object = layout.isPresent() ? layout.get().classifyNodeKey(node, targetKey) : CoreLayout.of(node).classify(targetKey);
        }
        if (object.kind() == ObjectKind.LICENSE) {
          switch (options.licenses()) {
            case EXCLUDE:
              reported.add(new ReportedObject(targetKey, object.kind(), ReportedObject.Disposition.EXCLUDED, "licence files left out on request"));
              continue;
            case REQUIRE_SAME_LOCATION:
              // Until the backup records where its licences were issued, their origin cannot be proven.
              throw new LicenseRelocationException(
                  targetKey, target.id(), "the backup does not prove that the licence was issued for this provider, bucket and path");
            case ACCEPT_RELOCATION:
              break;
          }
        }
        Optional<CopyPhase> phase = CopyPhase.of(object.kind());
        if (phase.isPresent()) {
          steps.add(new CopyStep(targetKey, object.kind(), phase.get(), info.size()));
        }
      }
    }
    if (nodes.isEmpty()) {
      throw new BackupNotFoundException(backupStore.id(), backupRoot);
    }
    for (NodeId node : nodes) {
      BackupPlan.requireEmpty(target, node.prefix());
    }
    if (cluster.isPresent()) {
      BackupPlan.requireEmpty(target, cluster.get().prefix());
    }

    PhasedTransfer.Result result;
    try (CopyExecutor executor = new CopyExecutor(options.executor(), options.parallelism())) {
      String operation = "restore of " + backupRoot;
      ObjectCopier.Settings settings =
          new ObjectCopier.Settings(
              WriteMode.CREATE_NEW, Hashes.CRC32C_AND_SHA256, options.retryPolicy(), options.cancellation(), operation);
      ObjectCopier copier = new ObjectCopier(backupStore, backupRoot, target, KeyPrefix.ROOT, settings);
      result =
          PhasedTransfer.run(
              operation,
              cluster.isPresent() ? CopyOrder.ENTERPRISE_RESTORE : CopyOrder.CORE_RESTORE,
              steps,
              options.progress(),
              copier,
              new PhaseRunner(executor.executor(), options.parallelism(), options.cancellation(), operation),
              ImmutableSet.of(),
              step -> Optional.<ExpectedContent>empty());
    }
    return new RestoreResult(
        backupId,
        backupStore.id(),
        target.id(),
        ImmutableList.copyOf(nodes),
        result.phases(),
        result.copied(),
        ImmutableList.<ReportedObject>builder().addAll(reported).addAll(result.vanished()).build(),
        startedAt,
        stopwatch.elapsed());
  }
}
