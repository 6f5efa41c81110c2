package io.influxbak.verify;

import io.influxbak.manifest.BackupManifest;
import io.influxbak.manifest.ManifestFormat;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupObjects;
import io.influxbak.store.ObjectLock;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.store.ObjectStore;
import io.influxbak.transfer.CopyExecutor;
import io.influxbak.transfer.Retries;
import io.influxbak.transfer.TransferSettings;
import java.io.IOException;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The lock part of a verify, for a backup whose manifest records a lock ({@link
 * BackupManifest#lock()}): asks the store the lock of every object the backup needs ({@link
 * BackupObjects#needed}) and finds each that is not locked, or is locked less far or less strictly
 * than the backup locked it. A missing object is left to the rest of the verify.
 */
final class LockCheck {
  private LockCheck() {}

  /**
   * Checks the locks, adding a finding per object not held as the manifest says.
   *
   * @return the earliest lock the backup's objects are held under; empty when the manifest records
   *     no lock
   */
  static Optional<ObjectLock> check(
      ObjectStore store,
      String backupId,
      BackupManifest manifest,
      TransferSettings settings,
      Collection<VerifyFinding> findings)
      throws IOException {
    Optional<ObjectLock> recorded = manifest.lock();
    if (recorded.isEmpty()) {
      return Optional.empty();
    }
    ObjectLock expected = recorded.get();
    if (!store.capabilities().objectLocks()) {
      findings.add(
          new VerifyFinding(
              BackupId.of(backupId).root().resolve(ManifestFormat.FILE_NAME),
              VerifyFinding.Problem.NOT_LOCKED,
              "the backup was locked "
                  + expected
                  + ", but "
                  + store.id()
                  + " has no object locks (copied elsewhere?)"));
      return Optional.empty();
    }
    boolean encrypted = !"none".equals(manifest.options().getOrDefault("encryption", "none"));
    AtomicReference<ObjectLock> earliest = new AtomicReference<>();
    Queue<VerifyFinding> found = new ConcurrentLinkedQueue<>();
    try (CopyExecutor executor = new CopyExecutor(settings.executor(), settings.parallelism())) {
      executor.forEach(
          BackupObjects.needed(BackupId.of(backupId), manifest.entries(), encrypted),
          key -> {
            settings.cancellation().throwIfCancelled("verify");
            Optional<ObjectLock> lock;
            try {
              lock =
                  Retries.retrying(
                      settings.retryPolicy(), "read the lock of " + key, () -> store.lockOf(key));
            } catch (ObjectNotFoundException e) {
              return; // a missing object is a finding of its own
            }
            Optional<String> problem = problem(lock, expected);
            if (problem.isPresent()) {
              found.add(new VerifyFinding(key, VerifyFinding.Problem.NOT_LOCKED, problem.get()));
            }
            lock.ifPresent(
                held ->
                    earliest.accumulateAndGet(
                        held,
                        (a, b) -> a == null || b.retainUntil().isBefore(a.retainUntil()) ? b : a));
          });
    }
    found.stream().sorted(Comparator.comparing(VerifyFinding::key)).forEach(findings::add);
    return Optional.ofNullable(earliest.get());
  }

  private static Optional<String> problem(Optional<ObjectLock> lock, ObjectLock expected) {
    if (lock.isEmpty()) {
      return Optional.of("not locked; the backup locked it " + expected);
    }
    ObjectLock held = lock.get();
    if (held.retainUntil().isBefore(expected.retainUntil())) {
      return Optional.of("locked " + held + ", less far than the backup locked it: " + expected);
    }
    if (held.mode() == ObjectLock.Mode.GOVERNANCE
        && expected.mode() == ObjectLock.Mode.COMPLIANCE) {
      return Optional.of(
          "locked " + held + ", less strictly than the backup locked it: " + expected);
    }
    return Optional.empty();
  }
}
