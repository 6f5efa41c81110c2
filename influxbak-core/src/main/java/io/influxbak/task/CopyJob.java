package io.influxbak.task;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import io.influxbak.manifest.BackupManifest;
import io.influxbak.store.HashingInputStream.Hashes;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.StoreLocation;
import io.influxbak.store.WriteMode;
import io.influxbak.transfer.Compression;
import io.influxbak.transfer.RetryPolicy;
import java.util.Optional;

/**
 * What every {@link CopyTask} of one backup or restore shares: the stores by location, where the
 * copies go, how they are made, and (for a backup) the backup whose journal records them.
 *
 * @param operation what the copies are part of, for messages
 * @param source where the steps read
 * @param destination where they write (the same location as {@code source}: one store, copied in it
 *     server-side where it can)
 * @param destinationRoot the prefix the steps' node keys are written under
 * @param settings how copies are made
 * @param journal the backup whose journal records the copies; empty for a restore
 */
public record CopyJob(
    String operation,
    StoreLocation source,
    StoreLocation destination,
    KeyPrefix destinationRoot,
    Settings settings,
    Optional<BackupManifest> journal) {
  /** Checks the parts. */
  public CopyJob {
    requireNonNull(operation, "operation is null");
    requireNonNull(source, "source is null");
    requireNonNull(destination, "destination is null");
    requireNonNull(destinationRoot, "destinationRoot is null");
    requireNonNull(settings, "settings is null");
    requireNonNull(journal, "journal is null");
  }

  /**
   * How a task's copies are made.
   *
   * @param mode how the first attempt writes; later attempts replace what an earlier one wrote
   *     (inside a root the operation has claimed, nothing else can be there)
   * @param hashes what each copy hashes
   * @param compression how copies are compressed (a restore writes them plain)
   * @param retry how often a copy is tried again after a transient failure (waits really sleep)
   * @param parallelism copies in flight at once within a task
   * @param serverDeletesMayVanish whether a source of a kind the server deletes on its own that is
   *     gone when its turn comes is reported as vanished (a backup) rather than failing (a restore)
   */
  public record Settings(
      WriteMode mode,
      Hashes hashes,
      Compression compression,
      RetryPolicy retry,
      int parallelism,
      boolean serverDeletesMayVanish) {
    /** Checks the parts. */
    public Settings {
      requireNonNull(mode, "mode is null");
      requireNonNull(hashes, "hashes is null");
      requireNonNull(compression, "compression is null");
      requireNonNull(retry, "retry is null");
      checkArgument(parallelism >= 1, "parallelism must be at least 1: %s", parallelism);
    }
  }
}
