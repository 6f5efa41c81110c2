package io.influxbak.backup;

import io.influxbak.manifest.BackupManifest;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectAlreadyExistsException;
import io.influxbak.transfer.Retries;
import java.io.IOException;

/**
 * The last write of a backup run: its manifest, which makes the backup complete. A write reported
 * failed may have landed, so the run accepts the manifest it finds if it is its own.
 */
final class ManifestCommit {
  private ManifestCommit() {}

  /** Writes {@code manifest}, accepting one that landed although its write was reported failed. */
  static void write(BackupRun run, BackupManifest manifest) throws IOException {
    KeyPrefix backupRoot = run.backupId.root();
    try {
      Retries.running(
          run.options.transfer().retryPolicy(),
          "write the manifest of " + backupRoot,
          () -> {
            try {
              run.repository.writeManifest(manifest, run.dataKey);
            } catch (ObjectAlreadyExistsException e) {
              // An earlier attempt may have landed before its failure was reported: accept only
              // our own manifest.
              if (!run.repository.holdsManifest(manifest)) {
                throw e;
              }
            }
          });
    } catch (IOException e) {
      // The last attempts failed, but an earlier one may have landed with its success unreported:
      // then the backup is complete, and saying otherwise would send the caller to redo it.
      boolean landed;
      try {
        landed =
            Retries.retrying(
                run.options.transfer().retryPolicy(),
                "read back the manifest of " + backupRoot,
                () -> run.repository.holdsManifest(manifest));
      } catch (IOException unreadable) {
        e.addSuppressed(unreadable);
        throw e;
      }
      if (!landed) {
        throw e;
      }
    }
  }
}
