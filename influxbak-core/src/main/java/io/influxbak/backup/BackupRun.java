package io.influxbak.backup;

import com.google.common.base.Stopwatch;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.Lists;
import io.influxbak.consistency.ConsistencyCheck;
import io.influxbak.consistency.ConsistencyReport;
import io.influxbak.consistency.Finding;
import io.influxbak.encryption.DataKey;
import io.influxbak.encryption.KeyEncryptionKey;
import io.influxbak.layout.CopyOrder;
import io.influxbak.layout.ObjectKind;
import io.influxbak.lease.HeldLease;
import io.influxbak.manifest.BackupManifest;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.manifest.ManifestFormat;
import io.influxbak.manifest.SourceFinding;
import io.influxbak.pin.ConsistencyPoint;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupJournal;
import io.influxbak.repository.BackupRepository;
import io.influxbak.repository.BackupView;
import io.influxbak.repository.ReuseIndex;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectLock;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.WriteMode;
import io.influxbak.task.Distribution;
import io.influxbak.transfer.AlongsideRead;
import io.influxbak.transfer.CopyStep;
import io.influxbak.transfer.PhaseResult;
import io.influxbak.transfer.PhasedTransfer;
import io.influxbak.transfer.ReportedObject;
import io.influxbak.transfer.Reports;
import io.influxbak.transfer.Retries;
import io.influxbak.transfer.ReusableCopies;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One execution of a {@link BackupPlan}: the stores, where it writes, what it may reuse, where it
 * journals, and what it has done so far (objects copied, phases, objects reported or vanished, the
 * point each node is consistent to). The destination is reached only through its {@link
 * BackupRepository}.
 */
final class BackupRun {
  final BackupTarget target;
  final BackupOptions options;
  private static final Logger LOG = LoggerFactory.getLogger(BackupRun.class);

  final ObjectStore source;
  final ObjectStore destination;
  final BackupRepository repository;
  final BackupId backupId;
  final Instant startedAt;
  final Stopwatch stopwatch = Stopwatch.createStarted();
  private final HeldLease lease;

  /** The engine the copies are handed to, when distributed; else they are made here. */
  final Optional<Distribution> distribution;

  /** REPLACE when resuming (unjournalled copies may exist), else CREATE_IN_CLAIMED_ROOT. */
  final WriteMode mode;

  final List<ManifestEntry> copied = new ArrayList<>();
  final List<PhaseResult> phases = new ArrayList<>();
  final List<ReportedObject> vanished = new ArrayList<>();
  final List<ReportedObject> reported = new ArrayList<>();
  final List<ConsistencyPoint> points = new ArrayList<>();

  /** The key the backup is encrypted with, once its root is claimed; empty when not encrypted. */
  Optional<DataKey> dataKey = Optional.empty();

  /** The lock put on the backup's objects before its manifest, when the options ask for one. */
  private Optional<ObjectLock> lock = Optional.empty();

  /** What the run may keep without copying; empty for a full backup with no journal. */
  Optional<ReuseIndex> reuse = Optional.empty();

  private BackupJournal journal;
  private int repins;

  private BackupRun(
      BackupTarget target,
      BackupOptions options,
      ObjectStore source,
      Instant startedAt,
      HeldLease lease,
      Optional<Distribution> distribution) {
    this.target = target;
    this.distribution = distribution;
    this.options = options;
    this.lease = lease;
    this.destination = lease.guard(lease.store());
    this.source = source == lease.store() ? destination : source;
    this.repository = BackupRepository.of(destination, options.keys());
    this.startedAt = startedAt;
    this.backupId = options.backupIdAt(startedAt);
    // A resumed root is claimed as a new one is; what is there, the interrupted run left.
    this.mode =
        options.resume() ? WriteMode.REPLACE_IN_CLAIMED_ROOT : WriteMode.CREATE_IN_CLAIMED_ROOT;
  }

  /**
   * A run of {@code target} from {@code source} into the store {@code lease} is held in, each of
   * its changes there checked against the lease, its copies made here or by {@code distribution};
   * nothing done yet.
   */
  static BackupRun start(
      BackupTarget target,
      BackupOptions options,
      ObjectStore source,
      Instant startedAt,
      HeldLease lease,
      Optional<Distribution> distribution) {
    return new BackupRun(target, options, source, startedAt, lease, distribution);
  }

  /** Plans, copies phase by phase, re-pins as needed, and writes the manifest last. */
  BackupResult execute() throws IOException {
    List<Scope> scopes = target.scopes();
    KeyPrefix backupRoot = backupId.root();
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
    BackupJournal.Recorded recorded;
    try (AlongsideRead<Optional<BackupManifest>> parent = Reuse.readParent(this)) {
      for (Scope scope : scopes) {
        SourceListing.Planned planned = SourceListing.plan(source, scope, options);
        steps.addAll(planned.steps());
        reported.addAll(planned.reported());
        planned.point().ifPresent(points::add);
      }
      LOG.info(
          "Backup {}: {} objects planned, {} reported", backupId, steps.size(), reported.size());
      recorded = RootClaim.claim(this);
      reuse = Reuse.index(this, recorded, parent.get());
    }
    journal =
        repository.startJournal(
            manifest(ImmutableList.of()), recorded.nextChunk(), options.journalEvery(), dataKey);
    try {
      absorb(
          transfer(
              target.order(), steps, "backup of " + scopes.stream().map(Scope::prefix).toList()));
      if (options.pinned()) {
        repins = Repinning.repin(this, scopes);
        Repinning.topUpCatalog(this, scopes);
        Repinning.dropInconsistentDerived(this);
      }
      Reuse.recopyGone(this);
      if (options.resume()) {
        removeLeftovers();
      }
    } catch (IOException e) {
      throw options.resume() ? BackupLocks.explainResume(this, e) : e;
    } finally {
      journal.tryFlush(); // what this run copied is recorded, whether it completes or not
    }
    reported.addAll(vanished);
    for (ManifestEntry object : copied) {
      if (object.kind() == ObjectKind.UNKNOWN) {
        reported.add(
            new ReportedObject(
                object.key(),
                object.kind(),
                ReportedObject.Disposition.COPIED_UNKNOWN,
                "not an InfluxDB 3 object kind influxbak knows; copied as is"));
      }
    }
    Reports.announce("Backup " + backupId, reported, options.transfer().progress());
    if (options.lock().isPresent()) {
      lock = Optional.of(BackupLocks.lockObjects(this, copied));
    }
    BackupManifest copiedManifest = manifest(copied);
    List<SourceFinding> sourceFindings = sourceFindings(copiedManifest);
    // Last, only if every phase completed and the lease is still ours this moment: a backup without
    // a manifest is incomplete.
    lease.confirm();
    ManifestCommit.write(this, copiedManifest.completed(sourceFindings, copied));
    if (lock.isPresent()) {
      BackupLocks.lockManifest(this, lock.get());
    }
    try {
      repository.deleteJournal(backupId);
    } catch (IOException e) {
      // the manifest supersedes the journal; a leftover chunk is ignored by verify and listing
    }
    LOG.info(
        "Backup {} complete: {} objects, {} re-pins, in {}",
        backupId,
        copied.size(),
        repins,
        stopwatch);
    return new BackupResult(
        backupId.toString(),
        source.id(),
        destination.id(),
        backupRoot,
        target.nodes(),
        target.cluster(),
        points,
        phases,
        copied,
        reported,
        reuse.map(r -> r.keptFromJournal().size()).orElse(0),
        repins,
        sourceFindings,
        startedAt,
        stopwatch.elapsed());
  }

  /**
   * The warnings and errors of the consistency check of what the backup copied, read back through
   * the backup itself (so a later check of the backup, or of a restore of it, finds the same).
   * Every live Parquet file the copy lacks was absent at the source: the run copies every one it
   * finds.
   */
  private List<SourceFinding> sourceFindings(BackupManifest copiedManifest) throws IOException {
    List<ConsistencyReport> reports =
        Retries.retrying(
            options.transfer().retryPolicy(),
            "check what backup " + backupId + " copied",
            () ->
                ConsistencyCheck.checkBackup(
                    BackupView.of(destination, copiedManifest, dataKeys(copied)),
                    KeyPrefix.ROOT,
                    copiedManifest));
    List<SourceFinding> findings = new ArrayList<>();
    for (ConsistencyReport report : reports) {
      for (Finding finding : report.findings()) {
        if (finding.severity() != Finding.Severity.INFO) {
          findings.add(
              new SourceFinding(
                  finding.severity() == Finding.Severity.ERROR
                      ? SourceFinding.Severity.ERROR
                      : SourceFinding.Severity.WARNING,
                  finding.key(),
                  finding.reason()));
        }
      }
    }
    return findings;
  }

  /** The manifest of this run listing {@code entries}. */
  BackupManifest manifest(List<ManifestEntry> entries) {
    return new BackupManifest(
        ManifestFormat.CURRENT_VERSION,
        backupId.toString(),
        options.transfer().clock().instant(),
        BackupRepository.libraryVersion(),
        target.product(),
        target.nodes(),
        target.cluster(),
        points.size() == 1
            ? OptionalLong.of(points.get(0).snapshotSequence())
            : OptionalLong.empty(),
        source.id().toString(),
        ImmutableMap.ofEntries(
            Map.entry("sha256", Boolean.toString(options.sha256())),
            Map.entry("includeTableSnapshots", Boolean.toString(options.includeTableSnapshots())),
            Map.entry(
                "includeEnterpriseBackups", Boolean.toString(options.includeEnterpriseBackups())),
            Map.entry("parallelism", Integer.toString(options.transfer().parallelism())),
            Map.entry("pinned", Boolean.toString(options.pinned())),
            Map.entry("keepOrphans", Boolean.toString(options.keepOrphans())),
            Map.entry("incremental", Boolean.toString(options.incremental())),
            Map.entry("verifyReusedContent", Boolean.toString(options.verifyReusedContent())),
            Map.entry(
                "compression", options.compression().encoding().name().toLowerCase(Locale.ROOT)),
            Map.entry("encryption", options.encryption().map(KeyEncryptionKey::id).orElse("none")),
            Map.entry(BackupManifest.LOCK_OPTION, lock.map(ObjectLock::toString).orElse("none"))),
        Optional.empty(),
        ImmutableList.copyOf(entries));
  }

  /**
   * Removes from a resumed backup's root what interrupted runs copied and this run does not hold.
   */
  private void removeLeftovers() throws IOException {
    Set<ObjectKey> kept = new HashSet<>();
    for (ManifestEntry object : copied) {
      if (!object.reused()) {
        kept.add(object.stored().key(object.key(), backupId.toString()));
      }
    }
    repository.removeLeftovers(backupId, kept);
  }

  /** Adds what a transfer did to this run's state. */
  void absorb(PhasedTransfer.Result result) {
    copied.addAll(result.copied());
    phases.addAll(result.phases());
    vanished.addAll(result.vanished());
  }

  /**
   * Deletes this backup's own stored copy of {@code object} (nothing for a reused one: an earlier
   * backup holds it) and forgets it.
   */
  void dropCopy(ManifestEntry object) throws IOException {
    if (!object.reused()) {
      ObjectKey stored = object.stored().key(object.key(), backupId.toString());
      Retries.running(
          options.transfer().retryPolicy(),
          "delete " + stored,
          () -> {
            repository.delete(stored);
          });
    }
    copied.remove(object);
  }

  /**
   * The snapshots and derived objects of the backup so far, read as node data: what the
   * derived-object rules read (a view of every object would hold millions of entries).
   */
  BackupView view() throws IOException {
    List<ManifestEntry> read = new ArrayList<>();
    for (ManifestEntry object : copied) {
      if (object.kind() == ObjectKind.SNAPSHOT || object.kind().derived()) {
        read.add(object);
      }
    }
    return BackupView.of(destination, backupId.toString(), read, dataKeys(read));
  }

  /** The data keys that read what {@code entries} reference (none for an unencrypted backup). */
  private Map<String, DataKey> dataKeys(List<ManifestEntry> entries) throws IOException {
    // A view: a million entries' stored copies made one at a time, not held as a list at once
    return repository.dataKeys(
        backupId.toString(), Lists.transform(entries, ManifestEntry::stored));
  }

  /** Copies {@code steps} from the source to the backup's root, phase by phase in {@code order}. */
  PhasedTransfer.Result transfer(CopyOrder order, List<CopyStep> steps, String operation)
      throws IOException {
    // Without an index the copier's no-reuse path asks nothing per object.
    return transfer(
        order, steps, operation, reuse.<ReusableCopies>map(r -> r).orElse(ReusableCopies.NONE));
  }

  PhasedTransfer.Result transfer(
      CopyOrder order, List<CopyStep> steps, String operation, ReusableCopies reusable)
      throws IOException {
    return BackupCopies.transfer(this, journal, order, steps, operation, reusable);
  }
}
