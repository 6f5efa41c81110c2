package io.influxbak.plan;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.base.Stopwatch;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.common.collect.Maps;
import io.influxbak.layout.ClusterId;
import io.influxbak.layout.CoreLayout;
import io.influxbak.layout.EnterpriseLayout;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.NodeObject;
import io.influxbak.layout.ObjectKind;
import io.influxbak.manifest.BackupManifest;
import io.influxbak.manifest.BackupView;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.manifest.ManifestFormat;
import io.influxbak.manifest.Manifests;
import io.influxbak.manifest.Product;
import io.influxbak.snapshot.SnapshotFormatException;
import io.influxbak.snapshot.SnapshotReader;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectAlreadyExistsException;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.WriteMode;
import io.influxbak.transfer.ExpectedContent;
import io.influxbak.transfer.HashingInputStream.Hashes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
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
  /** Kinds the server deletes on its own, so they may vanish between listing and copy. */
  private static final Set<ObjectKind> SERVER_DELETES =
      ImmutableSet.of(
          ObjectKind.WAL,
          ObjectKind.PARQUET,
          ObjectKind.TABLE_SNAPSHOT,
          ObjectKind.TABLE_INDEX,
          ObjectKind.SNAPSHOT_CHECKPOINT,
          ObjectKind.CATALOG_RESTORE_STAGING,
          ObjectKind.COMPACTOR_FILE);

  private static final ObjectMapper MARKER_JSON = new ObjectMapper();

  /** Re-pins tried when the server deletes objects the pin needs, before giving up. */
  private static final int MAX_REPINS = 3;

  private static final List<String> LICENSE_FILES =
      ImmutableList.of("commercial_license", "trial_or_home_license");

  private static final DateTimeFormatter BACKUP_ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final Optional<NodeId> coreNode;
  private final Optional<ClusterId> cluster;
  private final ImmutableList<NodeId> nodes;
  private final Optional<NodeId> compactor;
  private final BackupOptions options;

  private BackupPlan(
      Optional<NodeId> coreNode,
      Optional<ClusterId> cluster,
      List<NodeId> nodes,
      Optional<NodeId> compactor,
      BackupOptions options) {
    this.coreNode = coreNode;
    this.cluster = cluster;
    this.nodes = ImmutableList.copyOf(nodes);
    this.compactor = compactor;
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
    requireNonNull(nodeId, "nodeId is null");
    return new BackupPlan(
        Optional.of(nodeId),
        Optional.empty(),
        ImmutableList.of(nodeId),
        Optional.empty(),
        BackupOptions.defaults());
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
        Optional.empty(),
        Optional.of(ClusterId.of(clusterId)),
        ImmutableList.of(),
        Optional.empty(),
        BackupOptions.defaults());
  }

  /**
   * The same Enterprise plan with these data nodes.
   *
   * @throws IllegalStateException on a Core plan
   */
  public BackupPlan nodes(String... nodeIds) {
    checkEnterprise("nodes");
    return new BackupPlan(
        coreNode, cluster, Arrays.stream(nodeIds).map(NodeId::of).toList(), compactor, options);
  }

  /**
   * The same Enterprise plan with this compactor node (whose {@code cs/}, {@code cd/}, {@code c/}
   * are copied first).
   *
   * @throws IllegalStateException on a Core plan
   */
  public BackupPlan compactor(String nodeId) {
    checkEnterprise("compactor");
    return new BackupPlan(coreNode, cluster, nodes, Optional.of(NodeId.of(nodeId)), options);
  }

  /** The same plan with other options. */
  public BackupPlan withOptions(BackupOptions options) {
    return new BackupPlan(
        coreNode, cluster, nodes, compactor, requireNonNull(options, "options is null"));
  }

  /** The nodes this plan backs up (for a cluster: the data nodes, then the compactor). */
  public List<NodeId> nodes() {
    return enterpriseLayout().map(EnterpriseLayout::nodes).orElse(nodes);
  }

  /** The cluster this plan backs up, for an Enterprise plan. */
  public Optional<ClusterId> cluster() {
    return cluster;
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
   * @throws IllegalStateException for an Enterprise plan without nodes
   */
  public BackupResult execute(ObjectStore source, ObjectStore destination) throws IOException {
    requireNonNull(source, "source is null");
    requireNonNull(destination, "destination is null");
    List<Scope> scopes = scopes();
    Instant startedAt = options.clock().instant();
    Stopwatch stopwatch = Stopwatch.createStarted();
    String backupId =
        options.backupId().orElseGet(() -> "backup-" + BACKUP_ID_TIME.format(startedAt));
    KeyPrefix backupRoot = BackupIds.root(backupId);
    for (Scope scope : scopes) {
      if (source == destination
          && (backupRoot.contains(scope.prefix()) || scope.prefix().contains(backupRoot))) {
        throw new IllegalArgumentException(
            "Backup id "
                + backupId
                + " and prefix "
                + scope.prefix()
                + " overlap in the same store");
      }
    }

    List<CopyStep> steps = new ArrayList<>();
    List<ReportedObject> reported = new ArrayList<>();
    List<ConsistencyPoint> points = new ArrayList<>();
    for (Scope scope : scopes) {
      plan(source, scope, steps, reported, points);
    }
    BackupJournal.Recorded recorded;
    if (options.resume()) {
      recorded = resumable(destination, backupId);
    } else {
      requireEmpty(destination, backupRoot);
      recorded = new BackupJournal.Recorded(ImmutableMap.of(), 1);
      Retries.retrying(
          options.retryPolicy(),
          "write the start marker of " + backupRoot,
          () -> {
            try {
              Manifests.writeStarted(destination, backupRoot, backupId, startedAt);
            } catch (ObjectAlreadyExistsException e) {
              // only on a retry: an earlier attempt landed; the marker carries no data
            }
            return null;
          });
    }
    Optional<BackupManifest> parent = parent(destination, backupId);
    ReuseIndex reuse =
        recorded.objects().isEmpty() && parent.isEmpty()
            ? ReuseIndex.NONE
            : new ReuseIndex(
                recorded.objects(),
                parent.map(BackupManifest::backupId),
                parent
                    .map(p -> Maps.uniqueIndex(p.entries(), ManifestEntry::key))
                    .orElse(ImmutableMap.of()),
                options.verifyReusedContent());
    BackupJournal journal =
        new BackupJournal(
            destination,
            manifest(backupId, source, ImmutableList.of(), points),
            recorded.nextChunk(),
            options.journalEvery());
    Run run =
        new Run(
            source,
            destination,
            backupId,
            backupRoot,
            reuse,
            journal,
            options.resume() ? WriteMode.REPLACE : WriteMode.CREATE_NEW);

    CopyOrder order = cluster.isPresent() ? CopyOrder.ENTERPRISE_BACKUP : CopyOrder.CORE_BACKUP;
    List<CopiedObject> copiedObjects;
    List<PhaseResult> phases;
    List<ReportedObject> vanished;
    try {
      PhasedTransfer.Result result =
          transfer(
              run,
              order,
              steps,
              "backup of " + scopes.stream().map(s -> s.prefix().toString()).toList());
      copiedObjects = new ArrayList<>(result.copied());
      phases = new ArrayList<>(result.phases());
      vanished = new ArrayList<>(result.vanished());
      if (options.pinned()) {
        repin(run, order, scopes, points, copiedObjects, phases, vanished, reported);
        topUpCatalog(run, scopes, copiedObjects, phases);
        dropInconsistentDerived(run, points, copiedObjects, reported);
      }
      copyReusedObjectsGone(run, order, copiedObjects, phases);
      if (options.resume()) {
        removeLeftovers(run, copiedObjects);
      }
    } finally {
      journal.tryFlush(); // what this run copied is recorded, whether it completes or not
    }
    reported.addAll(vanished);
    for (CopiedObject copied : copiedObjects) {
      if (copied.kind() == ObjectKind.UNKNOWN) {
        reported.add(
            new ReportedObject(
                copied.key(),
                copied.kind(),
                ReportedObject.Disposition.COPIED_UNKNOWN,
                "not an InfluxDB 3 object kind influxbak knows; copied as is"));
      }
    }
    // Last, and only if every phase completed: a backup without a manifest is incomplete.
    BackupManifest manifest = manifest(backupId, source, copiedObjects, points);
    try {
      Retries.retrying(
          options.retryPolicy(),
          "write the manifest of " + backupRoot,
          () -> {
            try {
              Manifests.write(destination, backupRoot, manifest);
            } catch (ObjectAlreadyExistsException e) {
              // An earlier attempt may have landed before its failure was reported: accept only our
              // own manifest.
              if (!manifestLanded(destination, manifest)) {
                throw e;
              }
            }
            return null;
          });
    } catch (IOException e) {
      // The last attempts failed, but an earlier one may have landed with its success unreported:
      // then the
      // backup is complete, and saying otherwise would send the caller to redo it.
      boolean landed;
      try {
        landed =
            Retries.retrying(
                options.retryPolicy(),
                "read back the manifest of " + backupRoot,
                () -> manifestLanded(destination, manifest));
      } catch (IOException unreadable) {
        e.addSuppressed(unreadable);
        throw e;
      }
      if (!landed) {
        throw e;
      }
    }
    try {
      BackupJournal.delete(destination, backupId);
    } catch (IOException e) {
      // the manifest supersedes the journal; a leftover chunk is ignored by verify and listing
    }
    return new BackupResult(
        backupId,
        source.id(),
        destination.id(),
        backupRoot,
        nodes(),
        cluster,
        points,
        phases,
        copiedObjects,
        reported,
        startedAt,
        stopwatch.elapsed());
  }

  /**
   * Whether {@code destination} holds {@code manifest} (ours, not another run's under the same id).
   */
  private static boolean manifestLanded(ObjectStore destination, BackupManifest manifest)
      throws IOException {
    Optional<BackupManifest> stored =
        Manifests.read(destination, manifest.backupId(), ManifestFormat.DEFAULT_MAX_OBJECTS);
    return stored.isPresent()
        && stored.get().createdAt().equals(manifest.createdAt())
        && stored.get().entries().size() == manifest.entries().size();
  }

  private BackupManifest manifest(
      String backupId,
      ObjectStore source,
      List<CopiedObject> copied,
      List<ConsistencyPoint> points) {
    List<ManifestEntry> entries = ManifestEntry.computed(copied, CopiedObject::toEntry);
    return new BackupManifest(
        ManifestFormat.CURRENT_VERSION,
        backupId,
        options.clock().instant(),
        Manifests.libraryVersion(),
        cluster.isPresent() ? Product.ENTERPRISE : Product.CORE,
        nodes().stream().map(NodeId::toString).toList(),
        cluster.map(ClusterId::toString),
        points.size() == 1
            ? OptionalLong.of(points.get(0).snapshotSequence())
            : OptionalLong.empty(),
        source.id().toString(),
        ImmutableMap.of(
            "sha256", Boolean.toString(options.sha256()),
            "includeTableSnapshots", Boolean.toString(options.includeTableSnapshots()),
            "includeEnterpriseBackups", Boolean.toString(options.includeEnterpriseBackups()),
            "parallelism", Integer.toString(options.parallelism()),
            "pinned", Boolean.toString(options.pinned()),
            "keepOrphans", Boolean.toString(options.keepOrphans()),
            "incremental", Boolean.toString(options.incremental()),
            "verifyReusedContent", Boolean.toString(options.verifyReusedContent()),
            "compression", options.compression().encoding().name().toLowerCase(Locale.ROOT)),
        entries);
  }

  /**
   * When the server deleted objects the pin needed while they were being copied (a newer snapshot
   * removed a Parquet file, or WAL files it persisted were cleaned up), pins again to the newest
   * snapshot and copies what the new pin needs that the backup lacks, refreshing the checkpoints
   * and derived objects; a newer snapshot that removed the file or persisted those WAL files makes
   * the backup consistent again.
   *
   * @throws PinLostException after {@link #MAX_REPINS} rounds that still lost needed objects
   */
  private void repin(
      Run run,
      CopyOrder order,
      List<Scope> scopes,
      List<ConsistencyPoint> points,
      List<CopiedObject> copied,
      List<PhaseResult> phases,
      List<ReportedObject> vanished,
      List<ReportedObject> reported)
      throws IOException {
    for (Scope scope : scopes) {
      if (scope.node().isEmpty()) {
        continue;
      }
      NodeId node = scope.node().get();
      for (int round = 1;
          lostPinnedObjects(node, points, vanished) || derivedAhead(run, node, points, copied);
          round++) {
        if (round > MAX_REPINS) {
          throw new PinLostException(node.prefix(), MAX_REPINS);
        }
        List<CopyStep> listed = list(run.source(), scope, new ArrayList<>());
        PinnedSelection.Selection selection =
            PinnedSelection.select(
                run.source(), node, listed, options.keepOrphans(), options.retryPolicy());
        if (selection.staleListing()) {
          continue; // an index absorbed a snapshot this listing missed: list again (counts as a
          // round)
        }
        Set<ObjectKey> have = new HashSet<>();
        copied.forEach(c -> have.add(c.key()));
        Set<ObjectKey> selected = new HashSet<>();
        selection.copy().forEach(step -> selected.add(step.key()));
        for (CopiedObject earlier : List.copyOf(copied)) {
          if (earlier.key().isUnder(node.prefix())
              && PinnedSelection.DERIVED.contains(earlier.kind())
              && !selected.contains(earlier.key())) {
            // Derived objects are all in or all out: the new pin leaves them out, so our earlier
            // copies go.
            run.deleteCopy(earlier);
            copied.remove(earlier);
          }
        }
        List<CopyStep> steps = new ArrayList<>();
        for (CopyStep item : selection.copy()) {
          ObjectKind kind = item.kind();
          boolean refresh =
              kind == ObjectKind.CATALOG_CHECKPOINT || PinnedSelection.DERIVED.contains(kind);
          if ((kind == ObjectKind.TABLE_SNAPSHOT && !options.includeTableSnapshots())
              || (have.contains(item.key()) && !refresh)) {
            continue;
          }
          if (have.contains(item.key())) {
            // Our own earlier copy of an object the server rewrites in place: replaced by its
            // current state.
            copied.stream()
                .filter(c -> c.key().equals(item.key()))
                .findFirst()
                .ifPresent(run::deleteCopyUnchecked);
            copied.removeIf(c -> c.key().equals(item.key()));
          }
          steps.add(item);
        }
        points.removeIf(p -> p.node().equals(node));
        selection.point().ifPresent(points::add);
        vanished.removeIf(v -> v.key().isUnder(node.prefix()));
        reported.removeIf(
            r ->
                r.key().isUnder(node.prefix())
                    && r.disposition() == ReportedObject.Disposition.ABSENT);
        reported.addAll(
            selection.reported().stream()
                .filter(r -> r.disposition() == ReportedObject.Disposition.ABSENT)
                .toList());
        PhasedTransfer.Result topUp =
            transfer(run, order, steps, "re-pin " + round + " of " + node.prefix());
        copied.addAll(topUp.copied());
        phases.addAll(topUp.phases());
        vanished.addAll(topUp.vanished());
      }
    }
  }

  /**
   * Copies the catalog logs the server wrote since the plan's listing, after every other phase
   * (including re-pins): see {@link CatalogTopUp}.
   */
  private void topUpCatalog(
      Run run, List<Scope> scopes, List<CopiedObject> copied, List<PhaseResult> phases)
      throws IOException {
    Set<ObjectKey> have =
        new HashSet<>(); // the catalog logs only: a backup can hold millions of objects
    copied.forEach(
        c -> {
          if (c.kind() == ObjectKind.CATALOG_LOG) {
            have.add(c.key());
          }
        });
    List<CopyStep> steps = new ArrayList<>();
    for (Scope scope : scopes) {
      steps.addAll(
          CatalogTopUp.missingLogs(run.source(), scope.prefix(), scope.classifier(), have));
    }
    if (!steps.isEmpty()) {
      PhasedTransfer.Result topUp =
          transfer(
              run,
              new CopyOrder(ImmutableList.of(CopyPhase.CATALOG_LOGS)),
              steps,
              "catalog top-up of " + run.backupRoot());
      copied.addAll(topUp.copied());
      phases.addAll(topUp.phases());
    }
  }

  /**
   * Derived objects are all in or all out: when the copies of a node's derived objects, judged
   * together, are not consistent with its pin ({@link DerivedObjects}), they are deleted from the
   * backup and reported; the server rebuilds them from the snapshots.
   */
  private static void dropInconsistentDerived(
      Run run,
      List<ConsistencyPoint> points,
      List<CopiedObject> copied,
      List<ReportedObject> reported)
      throws IOException {
    for (ConsistencyPoint point : points) {
      NodeId node = point.node();
      Optional<String> reason =
          DerivedObjects.inconsistency(run.view(copied), node, point.snapshotSequence(), copied);
      if (reason.isEmpty()) {
        continue;
      }
      for (CopiedObject object : List.copyOf(copied)) {
        if (object.key().isUnder(node.prefix())
            && PinnedSelection.DERIVED.contains(object.kind())) {
          run.deleteCopy(object);
          copied.remove(object);
          reported.add(
              new ReportedObject(
                  object.key(),
                  object.kind(),
                  ReportedObject.Disposition.EXCLUDED,
                  "derived objects left out: "
                      + reason.get()
                      + "; the server rebuilds them from the snapshots"));
        }
      }
    }
  }

  /** Copies {@code steps} from the source to the backup's root, phase by phase in {@code order}. */
  private PhasedTransfer.Result transfer(
      Run run, CopyOrder order, List<CopyStep> steps, String operation) throws IOException {
    return transfer(run, order, steps, operation, run.reuse());
  }

  private PhasedTransfer.Result transfer(
      Run run, CopyOrder order, List<CopyStep> steps, String operation, ReuseIndex reuse)
      throws IOException {
    try (CopyExecutor executor = new CopyExecutor(options.executor(), options.parallelism())) {
      ObjectCopier.Settings settings =
          new ObjectCopier.Settings(
              run.mode(),
              options.sha256() ? Hashes.CRC32C_AND_SHA256 : Hashes.CRC32C,
              options.retryPolicy(),
              options.cancellation(),
              operation,
              options.compression(),
              reuse);
      ProgressListener progress = options.progress();
      ProgressListener journalled =
          new ProgressListener() {
            @Override
            public void phaseStarted(CopyPhase phase, long objects, long bytes) {
              progress.phaseStarted(phase, objects, bytes);
            }

            @Override
            public void objectCopied(CopiedObject object) {
              run.journal().record(object);
              progress.objectCopied(object);
            }

            @Override
            public void phaseCompleted(PhaseResult result) {
              progress.phaseCompleted(result);
            }
          };
      return PhasedTransfer.run(
          operation,
          order,
          steps,
          journalled,
          new ObjectCopier(
              run.source(), KeyPrefix.ROOT, run.destination(), run.backupRoot(), settings),
          new PhaseRunner(
              executor.executor(), options.parallelism(), options.cancellation(), operation),
          SERVER_DELETES,
          step -> Optional.<ExpectedContent>empty());
    }
  }

  /**
   * The backup {@code backupId} as an interrupted run left it: what its journal records that is
   * still in its root.
   *
   * @throws ResumeNotPossibleException if it does not exist, is complete or was retired
   */
  private static BackupJournal.Recorded resumable(ObjectStore destination, String backupId)
      throws IOException {
    KeyPrefix root = KeyPrefix.of(backupId);
    if (destination.stat(root.resolve(ManifestFormat.FILE_NAME)).isPresent()) {
      throw new ResumeNotPossibleException(
          destination.id(), backupId, "it is complete (it has a manifest)");
    }
    if (destination.stat(root.resolve(Manifests.RETIRED_MARKER)).isPresent()) {
      throw new ResumeNotPossibleException(destination.id(), backupId, "it was retired by a prune");
    }
    if (destination.stat(root.resolve(Manifests.STARTED_MARKER)).isEmpty()) {
      throw new ResumeNotPossibleException(
          destination.id(),
          backupId,
          "no backup was started under that id (no " + Manifests.STARTED_MARKER + ")");
    }
    return BackupJournal.read(destination, backupId).present(destination, backupId);
  }

  /**
   * The backup an incremental backup builds on: the newest complete one in {@code destination} of
   * the same product and cluster that holds one of this plan's nodes. Only the newest is needed: an
   * object that an older backup holds and the newest lacks is no longer live at the source (names
   * are never reused).
   */
  private Optional<BackupManifest> parent(ObjectStore destination, String backupId)
      throws IOException {
    if (!options.incremental()) {
      return Optional.empty();
    }
    Product product = cluster.isPresent() ? Product.ENTERPRISE : Product.CORE;
    Set<String> ours = new HashSet<>(nodes().stream().map(NodeId::toString).toList());
    Optional<BackupManifest> newest =
        Manifests.completeHeaders(destination).stream()
            .filter(
                b ->
                    !b.backupId().equals(backupId)
                        && b.product() == product
                        && b.cluster().equals(cluster.map(ClusterId::toString)))
            .filter(b -> b.nodes().stream().anyMatch(ours::contains))
            .max(
                Comparator.comparing(BackupManifest::createdAt)
                    .thenComparing(BackupManifest::backupId));
    if (newest.isEmpty()) {
      return Optional.empty();
    }
    return Manifests.read(destination, newest.get().backupId(), ManifestFormat.DEFAULT_MAX_OBJECTS);
  }

  /**
   * Proves that every object reused from an earlier backup is still there, and copies afresh any
   * that is not: a prune running meanwhile must not leave this backup pointing at nothing. While
   * the parent is still complete, that holds by construction (two requests); otherwise one listing
   * of each backup reused from checks every object's stored size.
   */
  private void copyReusedObjectsGone(
      Run run, CopyOrder order, List<CopiedObject> copied, List<PhaseResult> phases)
      throws IOException {
    if (run.reuse().parentId().isPresent()
        && stillComplete(run.destination(), run.reuse().parentId().get())
        && run.reuse().journalReusesNothing()) {
      // Every object reused came from the parent's manifest, and a prune never deletes what a
      // remaining complete
      // backup references: while the parent is complete, all of them are there. Two requests
      // instead of a listing.
      return;
    }
    Map<String, List<CopiedObject>> byHolder = new TreeMap<>();
    for (CopiedObject object : copied) {
      if (object.reused()) {
        byHolder
            .computeIfAbsent(object.stored().backupId().orElseThrow(), h -> new ArrayList<>())
            .add(object);
      }
    }
    List<CopiedObject> gone = new ArrayList<>();
    for (Map.Entry<String, List<CopiedObject>> holder : byHolder.entrySet()) {
      Map<ObjectKey, Long> sizes = new HashMap<>();
      try (ObjectIterator listing = run.destination().list(KeyPrefix.of(holder.getKey()))) {
        while (listing.hasNext()) {
          ObjectInfo info = listing.next();
          sizes.put(info.key(), info.size());
        }
      }
      for (CopiedObject object : holder.getValue()) {
        if (!Long.valueOf(object.stored().size())
            .equals(sizes.get(object.stored().key(object.key(), run.backupId())))) {
          gone.add(object);
        }
      }
    }
    if (gone.isEmpty()) {
      return;
    }
    copied.removeAll(gone);
    List<CopyStep> steps = new ArrayList<>();
    gone.forEach(o -> steps.add(new CopyStep(o.key(), o.kind(), o.phase(), o.size())));
    PhasedTransfer.Result again =
        transfer(run, order, steps, "copy of objects gone from earlier backups", ReuseIndex.NONE);
    copied.addAll(again.copied());
    phases.addAll(again.phases());
    if (!again.vanished().isEmpty()) {
      ReportedObject lost = again.vanished().get(0);
      throw new TransferFailedException(
          "backup " + run.backupId(),
          gone.stream()
              .filter(o -> o.key().equals(lost.key()))
              .findFirst()
              .map(CopiedObject::phase)
              .orElse(CopyPhase.OTHER),
          ImmutableList.of(
              new ObjectFailure(
                  lost.key(),
                  "gone from the earlier backup it was reused from and from the source",
                  new ObjectNotFoundException(run.source().id(), lost.key()))));
    }
  }

  /** Whether {@code backupId} still has its manifest and no retired marker. */
  private static boolean stillComplete(ObjectStore store, String backupId) throws IOException {
    KeyPrefix root = KeyPrefix.of(backupId);
    return store.stat(root.resolve(Manifests.RETIRED_MARKER)).isEmpty()
        && store.stat(root.resolve(ManifestFormat.FILE_NAME)).isPresent();
  }

  /**
   * Removes from a resumed backup's root what interrupted runs copied and this run's plan no longer
   * holds.
   */
  private static void removeLeftovers(Run run, List<CopiedObject> copied) throws IOException {
    Set<ObjectKey> kept = new HashSet<>();
    for (CopiedObject object : copied) {
      if (!object.reused()) {
        kept.add(object.stored().key(object.key(), run.backupId()));
      }
    }
    List<ObjectKey> leftovers = new ArrayList<>();
    try (ObjectIterator listing = run.destination().list(run.backupRoot())) {
      while (listing.hasNext()) {
        ObjectKey key = listing.next().key();
        if (!kept.contains(key) && !Manifests.isRecord(key.relativeTo(run.backupRoot()))) {
          leftovers.add(key);
        }
      }
    }
    for (ObjectKey key : leftovers) {
      run.destination().delete(key);
    }
  }

  /**
   * One execution of a backup: the stores, where it writes, what it may reuse and where it
   * journals.
   *
   * @param mode {@link WriteMode#CREATE_NEW}, or {@link WriteMode#REPLACE} when resuming (the root
   *     is the backup's own, and an interrupted run may have left a copy its journal does not
   *     record)
   */
  private record Run(
      ObjectStore source,
      ObjectStore destination,
      String backupId,
      KeyPrefix backupRoot,
      ReuseIndex reuse,
      BackupJournal journal,
      WriteMode mode) {
    /**
     * Deletes this backup's own stored copy of {@code object} (nothing for a reused one: an earlier
     * backup holds it).
     */
    void deleteCopy(CopiedObject object) throws IOException {
      if (!object.reused()) {
        destination.delete(object.stored().key(object.key(), backupId));
      }
    }

    void deleteCopyUnchecked(CopiedObject object) {
      try {
        deleteCopy(object);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * The snapshots and derived objects of the backup so far, read as node data: what the
     * derived-object rules read (a view of every object would hold millions of entries).
     */
    BackupView view(List<CopiedObject> copied) {
      List<ManifestEntry> read = new ArrayList<>();
      for (CopiedObject object : copied) {
        if (object.kind() == ObjectKind.SNAPSHOT
            || PinnedSelection.DERIVED.contains(object.kind())) {
          read.add(object.toEntry());
        }
      }
      return BackupView.of(destination, backupId, read);
    }
  }

  /**
   * Whether a derived object the backup holds for {@code node} is ahead of the pin: the server
   * rewrote a table index or the conversion marker after the pin was taken and before its copy, so
   * it names files of snapshots the backup lacks.
   */
  private static boolean derivedAhead(
      Run run, NodeId node, List<ConsistencyPoint> points, List<CopiedObject> copied)
      throws IOException {
    Optional<ConsistencyPoint> point =
        points.stream().filter(p -> p.node().equals(node)).findFirst();
    if (point.isEmpty()) {
      return false;
    }
    long pin = point.get().snapshotSequence();
    CoreLayout layout = CoreLayout.of(node);
    BackupView view = run.view(copied);
    for (CopiedObject object : copied) {
      if (!object.key().isUnder(node.prefix())) {
        continue;
      }
      if (object.kind() == ObjectKind.TABLE_INDEX) {
        byte[] bytes = readAll(view, object.key());
        try {
          if (Long.compareUnsigned(
                  SnapshotReader.parseIndex(layout.classify(object.key()), bytes)
                      .latestSnapshotSequence(),
                  pin)
              > 0) {
            return true;
          }
        } catch (SnapshotFormatException e) {
          return true; // unprovable now: the next round decides afresh
        }
      } else if (object.kind() == ObjectKind.TABLE_INDEX_CONVERSION_MARKER) {
        JsonNode marker = MARKER_JSON.readTree(readAll(view, object.key()));
        JsonNode last = marker == null ? null : marker.get("last_sequence_number");
        if (last == null
            || !last.isIntegralNumber()
            || Long.compareUnsigned(last.asLong(), pin) > 0) {
          return true;
        }
      }
    }
    return false;
  }

  private static byte[] readAll(ObjectStore store, ObjectKey key) throws IOException {
    try (InputStream in = store.open(key)) {
      return in.readNBytes((int) SnapshotReader.MAX_FILE_BYTES);
    }
  }

  /**
   * Whether objects the node's pin needs vanished: a live Parquet file, or a WAL file after the
   * pin.
   */
  private static boolean lostPinnedObjects(
      NodeId node, List<ConsistencyPoint> points, List<ReportedObject> vanished) {
    Optional<ConsistencyPoint> point =
        points.stream().filter(p -> p.node().equals(node)).findFirst();
    long pinWal = point.map(ConsistencyPoint::walSequence).orElse(0L);
    CoreLayout layout = CoreLayout.of(node);
    for (ReportedObject gone : vanished) {
      if (!gone.key().isUnder(node.prefix())) {
        continue;
      }
      if (gone.kind() == ObjectKind.PARQUET) {
        return true;
      }
      if (gone.kind() == ObjectKind.WAL
          && Long.compareUnsigned(layout.classify(gone.key()).sequence().getAsLong(), pinWal) > 0) {
        return true;
      }
    }
    return false;
  }

  /** A prefix to back up and how to classify its keys. */
  private record Scope(
      KeyPrefix prefix, Function<ObjectKey, NodeObject> classifier, Optional<NodeId> node) {}

  private List<Scope> scopes() {
    if (coreNode.isPresent()) {
      CoreLayout layout = CoreLayout.of(coreNode.get());
      return ImmutableList.of(new Scope(coreNode.get().prefix(), layout::classify, coreNode));
    }
    EnterpriseLayout layout = enterpriseLayout().orElseThrow();
    ImmutableList.Builder<Scope> scopes = ImmutableList.builder();
    scopes.add(new Scope(layout.cluster().prefix(), layout::classifyClusterKey, Optional.empty()));
    for (NodeId node : layout.nodes()) {
      scopes.add(
          new Scope(node.prefix(), key -> layout.classifyNodeKey(node, key), Optional.of(node)));
    }
    return scopes.build();
  }

  private Optional<EnterpriseLayout> enterpriseLayout() {
    if (cluster.isEmpty()) {
      return Optional.empty();
    }
    if (nodes.isEmpty() && compactor.isEmpty()) {
      throw new IllegalStateException(
          "Enterprise plan for cluster " + cluster.get() + " names no node: call nodes(...)");
    }
    return Optional.of(EnterpriseLayout.of(cluster.get(), nodes, compactor));
  }

  private void checkEnterprise(String method) {
    if (cluster.isEmpty()) {
      throw new IllegalStateException(
          method + "(...) applies to Enterprise plans; a Core plan backs up one node");
    }
  }

  private void plan(
      ObjectStore source,
      Scope scope,
      List<CopyStep> steps,
      List<ReportedObject> reported,
      List<ConsistencyPoint> points)
      throws IOException {
    List<CopyStep> listed = list(source, scope, reported);
    if (scope.node().isPresent() && options.pinned()) {
      PinnedSelection.Selection selection =
          PinnedSelection.select(
              source, scope.node().get(), listed, options.keepOrphans(), options.retryPolicy());
      for (int relist = 0; selection.staleListing() && relist < MAX_REPINS; relist++) {
        List<ReportedObject> fresh = new ArrayList<>();
        selection =
            PinnedSelection.select(
                source,
                scope.node().get(),
                list(source, scope, fresh),
                options.keepOrphans(),
                options.retryPolicy());
        reported.removeIf(r -> r.key().isUnder(scope.prefix()));
        reported.addAll(fresh);
      }
      if (selection.pinOutrun()) {
        throw new PinLostException(scope.prefix(), MAX_REPINS);
      }
      listed = selection.copy();
      reported.addAll(selection.reported());
      selection.point().ifPresent(points::add);
    }
    Set<String> seenLicenses = new TreeSet<>();
    for (CopyStep step : listed) {
      if (step.kind() == ObjectKind.LICENSE) {
        seenLicenses.add(step.key().relativeTo(scope.prefix()));
      }
      if (step.kind() == ObjectKind.TABLE_SNAPSHOT && !options.includeTableSnapshots()) {
        reported.add(
            new ReportedObject(
                step.key(),
                step.kind(),
                ReportedObject.Disposition.EXCLUDED,
                "table snapshots are regenerated by the server on restart"));
      } else if (step.kind() == ObjectKind.CLUSTER_BACKUP && !options.includeEnterpriseBackups()) {
        reported.add(
            new ReportedObject(
                step.key(),
                step.kind(),
                ReportedObject.Disposition.EXCLUDED,
                "backup of Enterprise's own backup command, not node data (include with includeEnterpriseBackups())"));
      } else {
        steps.add(step);
      }
    }
    if (scope.node().isEmpty()) {
      for (String license : LICENSE_FILES) {
        if (!seenLicenses.contains(license)) {
          reported.add(
              new ReportedObject(
                  scope.prefix().resolve(license),
                  ObjectKind.LICENSE,
                  ReportedObject.Disposition.ABSENT,
                  "no such licence file in the cluster"));
        }
      }
    }
  }

  /**
   * Lists and classifies a scope: one compact step per object that has a copy phase; file-store
   * staging files are reported instead.
   *
   * @throws NodeNotFoundException if the scope holds nothing
   */
  private static List<CopyStep> list(ObjectStore source, Scope scope, List<ReportedObject> reported)
      throws IOException {
    List<CopyStep> listed = new ArrayList<>();
    boolean any = false;
    try (ObjectIterator listing = source.list(scope.prefix())) {
      while (listing.hasNext()) {
        ObjectInfo info = listing.next();
        any = true;
        ObjectKind kind = scope.classifier().apply(info.key()).kind();
        Optional<CopyPhase> phase = CopyPhase.of(kind);
        if (phase.isPresent()) {
          listed.add(new CopyStep(info.key(), kind, phase.get(), info.size()));
        } else {
          reported.add(
              new ReportedObject(
                  info.key(),
                  kind,
                  ReportedObject.Disposition.EXCLUDED,
                  "file-store staging file of an unfinished upload"));
        }
      }
    }
    if (!any) {
      throw new NodeNotFoundException(source.id(), scope.prefix());
    }
    return listed;
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
