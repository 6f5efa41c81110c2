package io.influxbak.backup;

import com.google.common.base.Throwables;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.manifest.ManifestFormat;
import io.influxbak.repository.BackupObjects;
import io.influxbak.repository.BackupRepository;
import io.influxbak.repository.ResumeNotPossibleException;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectLock;
import io.influxbak.store.ObjectLockedException;
import io.influxbak.transfer.CopyExecutor;
import io.influxbak.transfer.ObjectFailure;
import io.influxbak.transfer.Retries;
import io.influxbak.transfer.TransferFailedException;
import io.influxbak.transfer.TransferSettings;
import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The locks of a backup run that asked for them ({@link BackupOptions#lock()}): the start marker
 * when the root is claimed, which proves the store locks before anything is copied; then, before
 * the manifest, every object the backup needs to be restored, reused ones included (their locks are
 * extended, never shortened); then the manifest.
 */
final class BackupLocks {
  private BackupLocks() {}

  /** Locks the run's start marker; nothing without a lock asked for. */
  static void lockStartMarker(BackupRun run) throws IOException {
    if (run.options.lock().isPresent()) {
      lock(
          run,
          List.of(run.backupId.root().resolve(BackupRepository.STARTED_MARKER)),
          run.options.lock().get().from(run.startedAt));
    }
  }

  /**
   * Locks every object but the manifest that the backup listing {@code entries} needs ({@link
   * BackupObjects#needed}), until the lock period from now.
   *
   * @return the lock, to record in the manifest and to put on it once written
   */
  static ObjectLock lockObjects(BackupRun run, List<ManifestEntry> entries) throws IOException {
    ObjectLock lock =
        run.options.lock().orElseThrow().from(run.options.transfer().clock().instant());
    Set<ObjectKey> keys =
        new LinkedHashSet<>(BackupObjects.needed(run.backupId, entries, run.dataKey.isPresent()));
    keys.remove(manifest(run)); // not written yet
    lock(run, keys, lock);
    return lock;
  }

  /** Locks the manifest the run has just written. */
  static void lockManifest(BackupRun run, ObjectLock lock) throws IOException {
    lock(run, List.of(manifest(run)), lock);
  }

  private static ObjectKey manifest(BackupRun run) {
    return run.backupId.root().resolve(ManifestFormat.FILE_NAME);
  }

  private static void lock(BackupRun run, Collection<ObjectKey> keys, ObjectLock lock)
      throws IOException {
    TransferSettings settings = run.options.transfer();
    try (CopyExecutor executor = new CopyExecutor(settings.executor(), settings.parallelism())) {
      executor.forEach(
          keys,
          key -> {
            settings.cancellation().throwIfCancelled("lock " + key);
            Retries.running(
                settings.retryPolicy(),
                "lock " + key,
                () -> {
                  run.destination.lock(key, lock);
                });
          });
    }
  }

  /**
   * A resume's failure, told as what it is when the interrupted run had already locked an object
   * this run must replace or remove (it had reached its lock step): the resume cannot finish, and a
   * new backup is the way on. Any other failure as it was.
   */
  static IOException explainResume(BackupRun run, IOException failure) {
    Optional<ObjectLockedException> locked = lockedIn(failure);
    if (locked.isEmpty()) {
      return failure;
    }
    ResumeNotPossibleException explained =
        new ResumeNotPossibleException(
            run.destination.id(),
            run.backupId.toString(),
            "the interrupted run had already locked "
                + locked.get().key()
                + ", which this run must replace or remove; start a new backup (a prune removes"
                + " this one, as incomplete, once its locks have passed)");
    explained.initCause(failure);
    return explained;
  }

  private static Optional<ObjectLockedException> lockedIn(IOException failure) {
    for (Throwable cause : Throwables.getCausalChain(failure)) {
      if (cause instanceof ObjectLockedException locked) {
        return Optional.of(locked);
      }
      if (cause instanceof TransferFailedException transfer) {
        for (ObjectFailure object : transfer.failures()) {
          for (Throwable inner : Throwables.getCausalChain(object.cause())) {
            if (inner instanceof ObjectLockedException locked) {
              return Optional.of(locked);
            }
          }
        }
      }
    }
    return Optional.empty();
  }
}
