package io.influxbak.backup;

import com.google.common.collect.ImmutableList;
import io.influxbak.layout.CopyOrder;
import io.influxbak.layout.ObjectKind;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.repository.BackupJournal;
import io.influxbak.store.ExpectedContent;
import io.influxbak.store.HashingInputStream.Hashes;
import io.influxbak.store.KeyPrefix;
import io.influxbak.task.CopyJob;
import io.influxbak.task.Distribution;
import io.influxbak.task.EngineCopy;
import io.influxbak.transfer.CopyExecutor;
import io.influxbak.transfer.CopySettings;
import io.influxbak.transfer.CopyStep;
import io.influxbak.transfer.ObjectCopier;
import io.influxbak.transfer.PhaseRunner;
import io.influxbak.transfer.PhasedTransfer;
import io.influxbak.transfer.ProgressListener;
import io.influxbak.transfer.ReusableCopies;
import io.influxbak.transfer.TransferSettings;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The copies of a {@link BackupRun}: made here on the run's executor, or handed to an engine in
 * tasks ({@link EngineCopy}); either way journalled, so that a resume keeps them.
 */
final class BackupCopies {
  private BackupCopies() {}

  /**
   * Copies {@code steps} from the run's source to the backup's root, phase by phase in {@code
   * order}.
   */
  static PhasedTransfer.Result transfer(
      BackupRun run,
      BackupJournal journal,
      CopyOrder order,
      List<CopyStep> steps,
      String operation,
      ReusableCopies reusable)
      throws IOException {
    TransferSettings settings = run.options.transfer();
    Hashes hashes = run.options.sha256() ? Hashes.CRC32C_AND_SHA256 : Hashes.CRC32C;
    CopySettings copying =
        new CopySettings(
            run.mode,
            hashes,
            settings.retryPolicy(),
            settings.cancellation(),
            operation,
            run.options.compression(),
            run.dataKey,
            reusable,
            settings.progress());
    ObjectCopier copier =
        new ObjectCopier(run.source, KeyPrefix.ROOT, run.destination, run.backupId.root(), copying);
    if (run.distribution.isPresent()) {
      Distribution distribution = run.distribution.get();
      CopyJob job =
          new CopyJob(
              operation,
              distribution.source(),
              distribution.destination(),
              run.backupId.root(),
              new CopyJob.Settings(
                  run.mode,
                  hashes,
                  run.options.compression(),
                  settings.retryPolicy(),
                  settings.parallelism(),
                  true),
              Optional.of(run.manifest(ImmutableList.of())));
      // The tasks journal what they copy; the run journals the reuses it verified by reading.
      return PhasedTransfer.run(
          operation,
          order,
          steps,
          ProgressListener.recordingCopies(
              entry -> {
                if (entry.reused() && journalled(run, entry)) {
                  journal.record(entry);
                }
              },
              settings.progress()),
          new EngineCopy(
              distribution.engine(),
              copier,
              job,
              ObjectKind::serverDeletes,
              step -> Optional.<ExpectedContent>empty()));
    }
    try (CopyExecutor executor = new CopyExecutor(settings.executor(), settings.parallelism())) {
      return PhasedTransfer.run(
          operation,
          order,
          steps,
          ProgressListener.recordingCopies(
              entry -> {
                if (journalled(run, entry)) {
                  journal.record(entry);
                }
              },
              settings.progress()),
          PhasedTransfer.local(
              copier,
              new PhaseRunner(
                  executor.executor(), settings.parallelism(), settings.cancellation(), operation),
              ObjectKind::serverDeletes,
              step -> Optional.<ExpectedContent>empty()));
    }
  }

  /**
   * Whether the journal records {@code entry}: a copy, or a reuse the run verified by reading the
   * source ({@link BackupOptions#verifyReusedContent()}), both work a resume would redo. A reuse on
   * key and size is not: a resume finds it in the earlier backup again with one lookup, where
   * recording it made an unchanged incremental of a million objects serialise a million entries
   * into journal chunks (and a chunk past 100,000 entries is one a resume does not read).
   */
  private static boolean journalled(BackupRun run, ManifestEntry entry) {
    return !entry.reused() || run.options.verifyReusedContent();
  }
}
