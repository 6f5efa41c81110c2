package io.influxbak.restore;

import static java.util.Objects.requireNonNull;

import com.google.common.base.Stopwatch;
import com.google.common.collect.ImmutableList;
import io.influxbak.backup.BackupPlan;
import io.influxbak.consistency.ClusterConsistencyReport;
import io.influxbak.consistency.ConsistencyCheck;
import io.influxbak.consistency.ConsistencyReport;
import io.influxbak.layout.ClusterId;
import io.influxbak.layout.CopyOrder;
import io.influxbak.layout.CopyPhase;
import io.influxbak.layout.CoreLayout;
import io.influxbak.layout.EnterpriseLayout;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.NodeObject;
import io.influxbak.layout.ObjectKind;
import io.influxbak.manifest.BackupManifest;
import io.influxbak.manifest.Encoding;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.manifest.Product;
import io.influxbak.manifest.StoredCopy;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupNotFoundException;
import io.influxbak.repository.BackupRepository;
import io.influxbak.repository.BackupRetiredException;
import io.influxbak.repository.DestinationNotEmptyException;
import io.influxbak.repository.IncompleteBackupException;
import io.influxbak.store.ExpectedContent;
import io.influxbak.store.HashingInputStream.Hashes;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.WriteMode;
import io.influxbak.transfer.CopyExecutor;
import io.influxbak.transfer.CopyStep;
import io.influxbak.transfer.ObjectCopier;
import io.influxbak.transfer.PhaseRunner;
import io.influxbak.transfer.PhasedTransfer;
import io.influxbak.transfer.ReportedObject;
import io.influxbak.transfer.Retries;
import io.influxbak.transfer.TransferFailedException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import javax.annotation.Nullable;
import javax.annotation.concurrent.Immutable;

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
    Planned planned = plan(backupStore, target);
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
   */
  public RestoreResult execute(ObjectStore backupStore, ObjectStore target) throws IOException {
    requireNonNull(backupStore, "backupStore is null");
    requireNonNull(target, "target is null");
    Instant startedAt = options.transfer().clock().instant();
    Stopwatch stopwatch = Stopwatch.createStarted();
    Planned planned = plan(backupStore, target);
    if (!options.replaceExisting()) {
      for (KeyPrefix prefix : planned.prefixes()) {
        BackupRepository.requireEmpty(target, prefix);
      }
    }
    Set<ObjectKey> restoredKeys = new HashSet<>();
    planned.steps().forEach(step -> restoredKeys.add(step.key()));

    PhasedTransfer.Result result;
    try (CopyExecutor executor =
        new CopyExecutor(options.transfer().executor(), options.transfer().parallelism())) {
      String operation = "restore of " + planned.backupRoot();
      ObjectCopier.Settings settings =
          new ObjectCopier.Settings(
              options.replaceExisting() ? WriteMode.REPLACE : WriteMode.CREATE_NEW,
              Hashes.CRC32C_AND_SHA256,
              options.transfer().retryPolicy(),
              options.transfer().cancellation(),
              operation);
      Map<ObjectKey, StoredCopy> stored = planned.stored();
      KeyPrefix backupRoot = planned.backupRoot();
      ObjectCopier copier =
          new ObjectCopier(
              backupStore,
              step -> {
                StoredCopy copy = stored.get(step.key());
                return copy == null
                    ? new ObjectCopier.Source(backupRoot.resolve(step.key()), Encoding.IDENTITY)
                    : new ObjectCopier.Source(copy.key(step.key(), backupId), copy.encoding());
              },
              target,
              KeyPrefix.ROOT,
              settings);
      Map<ObjectKey, ExpectedContent> expected = planned.expected();
      result =
          PhasedTransfer.run(
              operation,
              planned.order(),
              new ArrayList<>(planned.steps()),
              options.transfer().progress(),
              copier,
              new PhaseRunner(
                  executor.executor(),
                  options.transfer().parallelism(),
                  options.transfer().cancellation(),
                  operation),
              kind -> false,
              step -> Optional.ofNullable(expected.get(step.key())));
    }
    List<ReportedObject> reported = new ArrayList<>(planned.reported());
    if (options.replaceExisting()) {
      reported.addAll(deleteLeftovers(target, planned, restoredKeys));
    }
    reported.addAll(result.vanished());
    List<ConsistencyReport> consistency = new ArrayList<>();
    Optional<ClusterId> restoredCluster =
        planned.manifest().flatMap(BackupManifest::cluster).or(() -> cluster);
    if (restoredCluster.isPresent()) {
      // Enterprise nodes keep no catalog of their own: it is checked under the cluster prefix.
      ClusterConsistencyReport report =
          ConsistencyCheck.checkCluster(
              target,
              KeyPrefix.ROOT,
              EnterpriseLayout.of(restoredCluster.get(), planned.nodes(), compactor),
              ConsistencyCheck.Source.BACKUP);
      consistency.addAll(report.nodes());
      consistency.add(
          new ConsistencyReport(
              NodeId.of(restoredCluster.get().toString()),
              OptionalLong.empty(),
              OptionalLong.empty(),
              0,
              report.clusterFindings()));
    } else {
      // Judged against the manifest: a Parquet file the source had already lost when the backup was
      // taken
      // (retention) is a warning, one the backup recorded and the restore lacks an error.
      Set<ObjectKey> recorded = new HashSet<>();
      planned.manifest().ifPresent(m -> m.entries().forEach(e -> recorded.add(e.key())));
      for (NodeId node : planned.nodes()) {
        consistency.add(
            planned.manifest().isPresent()
                ? ConsistencyCheck.checkBackup(target, KeyPrefix.ROOT, node, recorded::contains)
                : ConsistencyCheck.check(
                    target, KeyPrefix.ROOT, node, ConsistencyCheck.Source.BACKUP));
      }
    }
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

  /** What a restore will copy, where, in which order, and what it must check. */
  private record Planned(
      KeyPrefix backupRoot,
      Optional<BackupManifest> manifest,
      List<CopyStep> steps,
      Map<ObjectKey, ExpectedContent> expected,
      Map<ObjectKey, StoredCopy> stored,
      List<NodeId> nodes,
      List<KeyPrefix> prefixes,
      CopyOrder order,
      List<ReportedObject> reported) {}

  private Planned plan(ObjectStore backupStore, ObjectStore target) throws IOException {
    KeyPrefix backupRoot = BackupId.of(backupId).root();
    if (backupStore.stat(backupRoot.resolve(BackupRepository.RETIRED_MARKER)).isPresent()) {
      throw new BackupRetiredException(backupStore.id(), backupRoot);
    }
    Optional<BackupManifest> manifest =
        Retries.retrying(
            options.transfer().retryPolicy(),
            "read the manifest of " + backupRoot,
            () ->
                BackupRepository.of(backupStore)
                    .readManifest(BackupId.of(backupId), options.maxManifestObjects()));
    if (manifest.isEmpty()) {
      if (BackupRepository.firstKeys(backupStore, backupRoot).isEmpty()) {
        throw new BackupNotFoundException(backupStore.id(), backupRoot);
      }
      if (!options.allowIncomplete()) {
        throw new IncompleteBackupException(backupStore.id(), backupRoot);
      }
      return planFromListing(backupStore, target, backupRoot);
    }
    BackupManifest m = manifest.get();
    List<CopyStep> steps = new ArrayList<>(m.entries().size());
    Map<ObjectKey, ExpectedContent> expected = new HashMap<>();
    Map<ObjectKey, StoredCopy> stored =
        new HashMap<>(); // only where it is not <backup-id>/<key> as it is
    List<ReportedObject> reported = new ArrayList<>();
    for (ManifestEntry entry : m.entries()) {
      if (entry.kind() == ObjectKind.LICENSE
          && !licenseAllowed(entry.key(), target, Optional.of(m.source()), reported)) {
        continue;
      }
      steps.add(new CopyStep(entry.key(), entry.kind(), entry.phase(), entry.size()));
      expected.put(entry.key(), new ExpectedContent(entry.size(), entry.crc32c(), entry.sha256()));
      if (!entry.stored().isPlain()) {
        stored.put(entry.key(), entry.stored());
      }
    }
    List<NodeId> nodes = m.nodes();
    List<KeyPrefix> prefixes = new ArrayList<>();
    nodes.forEach(node -> prefixes.add(node.prefix()));
    m.cluster().ifPresent(id -> prefixes.add(id.prefix()));
    CopyOrder order =
        m.product() == Product.ENTERPRISE ? CopyOrder.ENTERPRISE_RESTORE : CopyOrder.CORE_RESTORE;
    return new Planned(
        backupRoot, manifest, steps, expected, stored, nodes, prefixes, order, reported);
  }

  /**
   * An incomplete backup, restored from a listing of what it holds, classified by the layouts. What
   * its journal records is checked against the journal's hashes and decoded; the rest is copied as
   * listed, unverified.
   */
  private Planned planFromListing(ObjectStore backupStore, ObjectStore target, KeyPrefix backupRoot)
      throws IOException {
    Map<ObjectKey, ExpectedContent> expected = new HashMap<>();
    Map<ObjectKey, StoredCopy> stored = new HashMap<>();
    Map<ObjectKey, ObjectKey> journalled = new HashMap<>(); // stored key -> node key
    for (ManifestEntry object :
        BackupRepository.of(backupStore)
            .presentInJournal(BackupId.of(backupId))
            .objects()
            .values()) {
      if (!object.reused()) {
        journalled.put(object.stored().key(object.key(), backupId), object.key());
        expected.put(
            object.key(), new ExpectedContent(object.size(), object.crc32c(), object.sha256()));
        stored.put(object.key(), object.stored());
      }
    }
    List<CopyStep> steps = new ArrayList<>();
    List<ReportedObject> reported = new ArrayList<>();
    TreeSet<NodeId> nodes = new TreeSet<>();
    Optional<EnterpriseLayout> layout =
        cluster.map(c -> EnterpriseLayout.of(c, ImmutableList.of(), compactor));
    try (ObjectIterator listing = backupStore.list(backupRoot)) {
      while (listing.hasNext()) {
        ObjectInfo info = listing.next();
        String relative = info.key().relativeTo(backupRoot);
        int slash = relative.indexOf('/');
        if (slash < 0 || BackupRepository.isRecord(relative)) {
          continue; // the backup's own files (start marker, journal), not node data
        }
        ObjectKey nodeKey = journalled.get(info.key());
        long size = info.size();
        if (nodeKey != null) {
          relative = nodeKey.toString();
          size = expected.get(nodeKey).size();
        }
        String segment = relative.substring(0, slash);
        ObjectKey key = ObjectKey.of(relative);
        NodeObject object;
        if (layout.isPresent() && segment.equals(layout.get().cluster().toString())) {
          object = layout.get().classifyClusterKey(key);
        } else {
          NodeId node = NodeId.of(segment);
          nodes.add(node);
          object =
              layout.isPresent()
                  ? layout.get().classifyNodeKey(node, key)
                  : CoreLayout.of(node).classify(key);
        }
        if (object.kind() == ObjectKind.LICENSE
            && !licenseAllowed(key, target, Optional.empty(), reported)) {
          continue;
        }
        Optional<CopyPhase> phase = CopyPhase.of(object.kind());
        if (phase.isPresent()) {
          steps.add(new CopyStep(key, object.kind(), phase.get(), size));
        }
      }
    }
    List<KeyPrefix> prefixes = new ArrayList<>();
    nodes.forEach(node -> prefixes.add(node.prefix()));
    cluster.ifPresent(id -> prefixes.add(id.prefix()));
    CopyOrder order = cluster.isPresent() ? CopyOrder.ENTERPRISE_RESTORE : CopyOrder.CORE_RESTORE;
    return new Planned(
        backupRoot,
        Optional.empty(),
        steps,
        expected,
        stored,
        ImmutableList.copyOf(nodes),
        prefixes,
        order,
        reported);
  }

  /**
   * Whether a licence file may be restored into {@code target}: only where it was issued for (the
   * manifest's source location), unless the options leave licences out or accept the move.
   */
  private boolean licenseAllowed(
      ObjectKey key, ObjectStore target, Optional<String> origin, List<ReportedObject> reported)
      throws LicenseRelocationException {
    switch (options.licenses()) {
      case EXCLUDE:
        reported.add(
            new ReportedObject(
                key,
                ObjectKind.LICENSE,
                ReportedObject.Disposition.EXCLUDED,
                "licence files left out on request"));
        return false;
      case ACCEPT_RELOCATION:
        return true;
      case REQUIRE_SAME_LOCATION:
        if (origin.isEmpty()) {
          throw new LicenseRelocationException(
              key,
              target.id(),
              "the backup has no manifest recording where the licence was issued for");
        }
        if (!origin.get().equals(target.id().toString())) {
          throw new LicenseRelocationException(
              key, target.id(), "it was issued for " + origin.get());
        }
        return true;
    }
    throw new AssertionError(options.licenses());
  }

  /** With replaceExisting: deletes what the restored prefixes hold that the backup does not. */
  private List<ReportedObject> deleteLeftovers(
      ObjectStore target, Planned planned, Set<ObjectKey> restored) throws IOException {
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
          if (!restored.contains(key) && !keptLicense) {
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
