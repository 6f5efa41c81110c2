package io.influxbak.retention;

import static java.util.Objects.requireNonNull;

import io.influxbak.encryption.BackupKeys;
import io.influxbak.encryption.KeyEncryptionKey;
import io.influxbak.lease.HeldLease;
import io.influxbak.lease.LeaseHeldException;
import io.influxbak.lease.LeaseLostException;
import io.influxbak.lease.LeaseSettings;
import io.influxbak.lease.Leases;
import io.influxbak.manifest.BackupManifest;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.manifest.ManifestException;
import io.influxbak.manifest.ManifestFormat;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupRepository;
import io.influxbak.repository.BackupSummary;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectLock;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.store.ObjectStore;
import io.influxbak.transfer.TransferSettings;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.annotation.concurrent.Immutable;

/**
 * Removes backups a {@link RetentionPolicy} does not keep, never deleting an object a remaining
 * backup needs.
 *
 * <pre>{@code
 * PruneResult preview = Prune.of(RetentionPolicy.keepLast(7).monthly(12)).dryRun(store);
 * PruneResult done = Prune.of(RetentionPolicy.keepLast(7).monthly(12)).execute(store);
 * }</pre>
 *
 * <p>A backup goes in steps, each safe to stop after: its {@code retired.json} marker is written
 * first (from then on it is never restored, resumed or built on), then its manifest is deleted,
 * then every object in its root that no remaining backup references, then, once its root holds no
 * data, its journal, start marker and last the retired marker. An incremental backup's objects live
 * in the backup that first copied them, so a retired root may have to keep some objects: it stays,
 * listed as retired, until a later prune finds that no remaining backup uses them. Objects of
 * remaining backups are never touched, so a prune that stops anywhere (a crash, a store error)
 * leaves every remaining backup restorable; running it again finishes the job. In a store with
 * object locks, a prune never tries to delete an object a lock still holds: it retires the backup,
 * deletes what is not locked, reports the lock ({@link PruneResult#locked()}), and a prune after
 * the lock has passed removes the rest.
 *
 * <p>Incomplete backups (interrupted, resumable) are kept unless {@link
 * #removeIncompleteStartedBefore} says otherwise; what their journals reference is kept too. A
 * prune runs only while no backup into the store runs: it holds the store's prune lease, and takes
 * it only while no backup holds one ({@link Leases}), so a backup never builds on a backup a prune
 * is removing.
 */
@Immutable
public final class Prune {

  private final RetentionPolicy policy;
  private final Optional<Instant> incompleteCutoff;
  private final TransferSettings settings;
  private final boolean leaveUnreadable;
  private final LeaseSettings lease;
  private final BackupKeys keys;

  private Prune(
      RetentionPolicy policy,
      Optional<Instant> incompleteCutoff,
      TransferSettings settings,
      boolean leaveUnreadable,
      LeaseSettings lease,
      BackupKeys keys) {
    this.policy = policy;
    this.incompleteCutoff = incompleteCutoff;
    this.settings = settings;
    this.leaveUnreadable = leaveUnreadable;
    this.lease = lease;
    this.keys = keys;
  }

  /** A prune keeping what {@code policy} keeps. */
  public static Prune of(RetentionPolicy policy) {
    return new Prune(
        requireNonNull(policy, "policy is null"),
        Optional.empty(),
        TransferSettings.defaults(),
        false,
        LeaseSettings.defaults(),
        BackupKeys.NONE);
  }

  /**
   * The same prune, also removing incomplete backups started before {@code cutoff} (they can no
   * longer be resumed).
   */
  public Prune removeIncompleteStartedBefore(Instant cutoff) {
    return new Prune(
        policy,
        Optional.of(requireNonNull(cutoff, "cutoff is null")),
        settings,
        leaveUnreadable,
        lease,
        keys);
  }

  /**
   * The same prune, run with {@code settings}: its clock stamps retired markers, its retry policy
   * retries each deletion that fails transiently, and its cancellation handle stops the prune
   * between deletions (every step is safe to stop after). Deletions run one at a time; the
   * parallelism, executor and progress listener are not used.
   */
  public Prune transfer(TransferSettings settings) {
    return new Prune(
        policy,
        incompleteCutoff,
        requireNonNull(settings, "settings is null"),
        leaveUnreadable,
        lease,
        keys);
  }

  /**
   * The same prune, run even while backups with an unreadable manifest exist (see {@link
   * BackupSummary.State#UNREADABLE}): they are left alone, and since what they reference is
   * unknown, no data object of any backup is deleted (backups the policy drops are retired and
   * their manifests removed; a later prune, once the manifests read again, frees their objects).
   * Without this, such a backup makes the prune fail with {@link UnreadableBackupsException}.
   */
  public Prune leaveUnreadable() {
    return new Prune(policy, incompleteCutoff, settings, true, lease, keys);
  }

  /**
   * The same prune, its lease timed by {@code lease}: by default ({@link LeaseSettings#defaults()})
   * a prune refuses at once while a backup or another prune holds a lease; {@link
   * LeaseSettings#withMaxWait} makes it wait.
   */
  public Prune lease(LeaseSettings lease) {
    return new Prune(
        policy,
        incompleteCutoff,
        settings,
        leaveUnreadable,
        requireNonNull(lease, "lease is null"),
        keys);
  }

  /**
   * The same prune, reading encrypted backups with the data keys {@code kek} unwraps: without it,
   * they do not read, so count as unreadable ({@link #leaveUnreadable()}).
   */
  public Prune keys(KeyEncryptionKey kek) {
    return new Prune(
        policy, incompleteCutoff, settings, leaveUnreadable, lease, BackupKeys.of(kek));
  }

  /** What {@link #execute} would do, changing nothing. */
  public PruneResult dryRun(ObjectStore store) throws IOException {
    return run(requireNonNull(store, "store is null"), true);
  }

  /**
   * Removes what the policy does not keep, holding the store's prune lease throughout.
   *
   * @throws LeaseHeldException naming the holders if a backup or another prune holds a lease (after
   *     the lease settings' wait); nothing is changed
   * @throws LeaseLostException if the lease was taken over or broken while this prune had stalled
   *     past its expiry: it stopped before its next deletion
   */
  public PruneResult execute(ObjectStore store) throws IOException {
    requireNonNull(store, "store is null");
    try (HeldLease held = Leases.in(store, lease).prune()) {
      try {
        return run(held.guard(store), false);
      } catch (IOException e) {
        throw held.explain(e);
      }
    }
  }

  private PruneResult run(ObjectStore store, boolean dryRun) throws IOException {
    BackupRepository repository = BackupRepository.of(store, keys);
    List<BackupSummary> backups = repository.list();
    List<RetentionPolicy.Candidate> candidates = new ArrayList<>();
    for (BackupSummary backup : backups) {
      if (backup.complete() || backup.state() == BackupSummary.State.BROKEN) {
        candidates.add(
            new RetentionPolicy.Candidate(backup.backupId(), backup.createdAt().orElseThrow()));
      }
    }
    List<BackupSummary> unreadable =
        backups.stream().filter(b -> b.state() == BackupSummary.State.UNREADABLE).toList();
    if (!unreadable.isEmpty() && !leaveUnreadable) {
      throw new UnreadableBackupsException(store.id(), unreadable);
    }
    Map<String, List<String>> kept = policy.keep(candidates);
    List<PruneDecision> decisions = new ArrayList<>();
    kept.forEach(
        (id, reasons) ->
            decisions.add(new PruneDecision(id, BackupSummary.State.COMPLETE, true, reasons)));
    Set<String> retiring = new LinkedHashSet<>();
    Set<String> newlyRetired = new LinkedHashSet<>();
    List<String> keptIncomplete = new ArrayList<>();
    for (BackupSummary backup : backups) {
      String id = backup.backupId();
      switch (backup.state()) {
        case COMPLETE, BROKEN -> {
          if (!kept.containsKey(id)) {
            decisions.add(
                new PruneDecision(id, backup.state(), false, List.of("not kept by the policy")));
            retiring.add(id);
            newlyRetired.add(id);
          }
        }
        case INCOMPLETE -> {
          Optional<Instant> started = repository.startedAt(BackupId.of(id));
          if (incompleteCutoff.isPresent()
              && started.isPresent()
              && started.get().isBefore(incompleteCutoff.get())) {
            decisions.add(
                new PruneDecision(
                    id, backup.state(), false, List.of("incomplete, started " + started.get())));
            retiring.add(id);
            newlyRetired.add(id);
          } else {
            decisions.add(
                new PruneDecision(
                    id,
                    backup.state(),
                    true,
                    List.of("incomplete: kept so that it can be resumed")));
            keptIncomplete.add(id);
          }
        }
        case RETIRED -> {
          decisions.add(
              new PruneDecision(id, backup.state(), false, List.of("retired by an earlier prune")));
          retiring.add(id);
        }
        case UNREADABLE ->
            decisions.add(
                new PruneDecision(
                    id,
                    backup.state(),
                    true,
                    List.of(
                        "manifest does not read ("
                            + backup.problem().orElse("unknown")
                            + "): left alone, with every data object of every backup")));
      }
    }
    Set<ObjectKey> needed = needed(store, kept.keySet(), keptIncomplete, retiring);
    RetiredRoot roots = new RetiredRoot(store, settings, dryRun);
    Map<String, ObjectLock> locked = new LinkedHashMap<>();
    List<String> removed = new ArrayList<>();
    List<String> retained = new ArrayList<>();
    if (!dryRun) {
      for (String id : newlyRetired) {
        // From the marker on, the backup is never restored or built on.
        settings.cancellation().throwIfCancelled("prune");
        repository.writeRetired(BackupId.of(id), settings.clock().instant());
      }
    }
    for (String id : retiring) {
      boolean empty = roots.sweep(id, needed, !unreadable.isEmpty(), locked);
      (empty ? removed : retained).add(id);
    }
    return new PruneResult(
        dryRun, decisions, roots.objectsDeleted, roots.bytesFreed, removed, retained, locked);
  }

  /**
   * The stored keys inside {@code retiring} roots that remaining backups reference: the entries of
   * kept complete backups, and the journals of kept incomplete ones.
   */
  private Set<ObjectKey> needed(
      ObjectStore store,
      Set<String> keptComplete,
      List<String> keptIncomplete,
      Set<String> retiring)
      throws IOException {
    Set<ObjectKey> needed = new HashSet<>();
    for (String id : keptComplete) {
      BackupManifest manifest;
      try {
        manifest =
            BackupRepository.of(store, keys)
                .readManifest(BackupId.of(id), ManifestFormat.DEFAULT_MAX_OBJECTS)
                .orElseThrow(
                    () ->
                        new ObjectNotFoundException(
                            store.id(), KeyPrefix.of(id).resolve(ManifestFormat.FILE_NAME)));
      } catch (ManifestException e) {
        throw new IOException(
            "Cannot prune: the manifest of kept backup "
                + id
                + " no longer reads, so what it references is unknown",
            e);
      }
      addReferences(manifest.entries(), id, retiring, needed);
    }
    for (String id : keptIncomplete) {
      addReferences(
          BackupRepository.of(store, keys).readJournal(BackupId.of(id)), id, retiring, needed);
    }
    return needed;
  }

  private static void addReferences(
      List<ManifestEntry> entries,
      String listingBackupId,
      Set<String> retiring,
      Set<ObjectKey> needed) {
    for (ManifestEntry entry : entries) {
      if (retiring.contains(entry.stored().holder(listingBackupId))) {
        needed.add(entry.storedKey(listingBackupId));
      }
    }
  }
}
