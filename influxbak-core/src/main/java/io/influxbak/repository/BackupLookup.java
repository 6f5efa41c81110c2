package io.influxbak.repository;

import static java.util.Objects.requireNonNull;

import io.influxbak.encryption.BackupKeys;
import io.influxbak.manifest.BackupManifest;
import io.influxbak.manifest.ManifestFormat;
import io.influxbak.store.ObjectStore;
import java.io.IOException;
import java.util.Optional;

/**
 * Finds a backup by id for an operation that needs it, with one typed answer when it cannot: not
 * found (nothing under its root), retired by a prune, or incomplete (no manifest).
 */
public final class BackupLookup {
  private BackupLookup() {}

  /**
   * Fails unless {@code backupId} exists in {@code store} and was not retired.
   *
   * @param operation what the caller is about to do, for the message ("verify", "check")
   * @throws BackupNotFoundException if nothing lies under its root
   * @throws BackupRetiredException if a prune retired it
   */
  public static void requireExisting(ObjectStore store, BackupId backupId, String operation)
      throws IOException {
    requireNonNull(store, "store is null");
    requireNonNull(backupId, "backupId is null");
    requireNonNull(operation, "operation is null");
    if (BackupRepository.firstKeys(store, backupId.root()).isEmpty()) {
      throw new BackupNotFoundException(operation, store.id(), backupId.root());
    }
    if (BackupRepository.of(store).isRetired(backupId)) {
      throw new BackupRetiredException(operation, store.id(), backupId.root());
    }
  }

  /**
   * The manifest of the complete backup {@code backupId}.
   *
   * @throws BackupNotFoundException if nothing lies under its root
   * @throws BackupRetiredException if a prune retired it
   * @throws IncompleteBackupException if it has no manifest
   * @throws io.influxbak.manifest.ManifestException if its manifest cannot be trusted
   */
  public static BackupManifest requireComplete(
      ObjectStore store, BackupId backupId, String operation) throws IOException {
    return requireComplete(store, backupId, operation, BackupKeys.NONE);
  }

  /**
   * Like {@link #requireComplete(ObjectStore, BackupId, String)}, reading an encrypted manifest
   * with {@code keys}.
   *
   * @throws io.influxbak.encryption.EncryptionKeyException if the backup is encrypted and {@code
   *     keys} do not unwrap its data key
   */
  public static BackupManifest requireComplete(
      ObjectStore store, BackupId backupId, String operation, BackupKeys keys) throws IOException {
    requireNonNull(keys, "keys is null");
    requireExisting(store, backupId, operation);
    Optional<BackupManifest> manifest =
        BackupRepository.of(store, keys).readManifest(backupId, ManifestFormat.DEFAULT_MAX_OBJECTS);
    if (manifest.isEmpty()) {
      throw new IncompleteBackupException(operation, store.id(), backupId.root());
    }
    return manifest.get();
  }
}
