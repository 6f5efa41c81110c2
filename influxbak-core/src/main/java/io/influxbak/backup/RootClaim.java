package io.influxbak.backup;

import com.google.common.collect.ImmutableMap;
import io.influxbak.encryption.DataKey;
import io.influxbak.encryption.KeyEncryptionKey;
import io.influxbak.layout.ObjectKind;
import io.influxbak.repository.BackupJournal;
import io.influxbak.repository.BackupRepository;
import io.influxbak.repository.DestinationNotEmptyException;
import io.influxbak.repository.ResumeNotPossibleException;
import io.influxbak.store.ObjectAlreadyExistsException;
import io.influxbak.store.ObjectKey;
import io.influxbak.transfer.ReportedObject;
import io.influxbak.transfer.Retries;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * How a backup run takes its root: a new backup requires it empty and claims it with its start
 * marker (naming the run, so that a second run with the same id is refused); a resumed one finds
 * what its journal recorded. Either way, temporary files of killed runs there go first.
 */
final class RootClaim {
  private RootClaim() {}

  /**
   * Claims the backup's root: a new backup requires it empty and writes its start marker; a resumed
   * one finds what its journal records that is still there.
   */
  static BackupJournal.Recorded claim(BackupRun run) throws IOException {
    if (run.options.resume()) {
      BackupJournal.Recorded recorded = run.repository.resumable(run.backupId);
      removeIncompleteWrites(run);
      run.dataKey = resumedKey(run, recorded);
      BackupLocks.lockStartMarker(run);
      return recorded;
    }
    Retries.running(
        run.options.transfer().retryPolicy(),
        "check that " + run.backupId.root() + " is empty",
        () -> {
          BackupRepository.requireEmpty(run.destination, run.backupId.root());
        });
    removeIncompleteWrites(run);
    String runId = UUID.randomUUID().toString();
    Retries.running(
        run.options.transfer().retryPolicy(),
        "write the start marker of " + run.backupId.root(),
        () -> {
          try {
            run.repository.writeStarted(run.backupId, run.startedAt, runId);
          } catch (ObjectAlreadyExistsException e) {
            // Ours only if an earlier attempt landed; otherwise another run claimed the id first.
            if (!run.repository.startedBy(run.backupId).equals(Optional.of(runId))) {
              throw new DestinationNotEmptyException(
                  run.destination.id(),
                  run.backupId.root(),
                  List.of(run.backupId.root().resolve(BackupRepository.STARTED_MARKER)));
            }
          }
        });
    BackupLocks.lockStartMarker(run); // before any copy: a store that cannot lock fails here
    run.dataKey = newKey(run);
    return new BackupJournal.Recorded(ImmutableMap.of(), 1);
  }

  /** The data key of a new encrypted backup, written beside its start marker before any object. */
  private static Optional<DataKey> newKey(BackupRun run) throws IOException {
    if (run.options.encryption().isEmpty()) {
      return Optional.empty();
    }
    KeyEncryptionKey kek = run.options.encryption().get();
    return Optional.of(
        Retries.retrying(
            run.options.transfer().retryPolicy(),
            "write the data key of " + run.backupId.root(),
            () -> run.repository.createDataKey(run.backupId, kek)));
  }

  /**
   * The data key of a resumed backup: its own, unwrapped with the key given; a backup is encrypted
   * throughout or not at all, so a resume must ask for what the first run did.
   */
  private static Optional<DataKey> resumedKey(BackupRun run, BackupJournal.Recorded recorded)
      throws IOException {
    String id = run.backupId.toString();
    if (run.options.encryption().isEmpty()) {
      if (run.repository.hasDataKey(run.backupId)) {
        throw new ResumeNotPossibleException(
            run.destination.id(), id, "it is encrypted; resume it with its key (--encrypt)");
      }
      return Optional.empty();
    }
    Optional<DataKey> existing = run.repository.dataKey(run.backupId);
    if (existing.isPresent()) {
      return existing;
    }
    if (!recorded.objects().isEmpty()) {
      throw new ResumeNotPossibleException(
          run.destination.id(), id, "it was started unencrypted; resume it without --encrypt");
    }
    return newKey(run);
  }

  /**
   * Deletes what killed runs' writes left in the backup's root (a file store's temporary files).
   */
  private static void removeIncompleteWrites(BackupRun run) throws IOException {
    for (ObjectKey leftover : run.destination.removeIncompleteWrites(run.backupId.root())) {
      run.reported.add(
          new ReportedObject(
              leftover,
              ObjectKind.UNKNOWN,
              ReportedObject.Disposition.DELETED,
              "temporary file of an interrupted write in the backup's root; deleted"));
    }
  }
}
