package io.influxbak.restore;

import io.influxbak.encryption.BackupKeys;
import io.influxbak.encryption.DataKey;
import io.influxbak.manifest.BackupManifest;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.manifest.StoredCopy;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupRepository;
import io.influxbak.repository.ReuseHolders;
import io.influxbak.store.ChecksumAlgorithm;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.transfer.AlongsideRead;
import io.influxbak.transfer.Retries;
import io.influxbak.transfer.RetryPolicy;
import io.influxbak.transfer.TransferSettings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a restore checks before its first write: every object it will read is in the backup store
 * with its recorded size and, where the store keeps one, its CRC32C, in the backup's root or in the
 * root of the earlier backup it is reused from. One listing of each root; no object data read. A
 * restore that would fail midway on a missing object fails here instead, with nothing written.
 */
final class RestorePrecheck {
  private RestorePrecheck() {}

  /**
   * Starts listing the root of {@code backupId} for {@link #check}, alongside the restore's other
   * work where the listing is round trips to a remote store (a million-object backup at 20 ms a
   * request reached its first copy in 3.6 to 3.8 s instead of 5.3 to 6.2 s) and the parallelism is
   * above 1. A local store's listing is CPU, as the manifest's parsing is: on tmpfs the two at once
   * gained nothing.
   */
  static AlongsideRead<Map<ObjectKey, ObjectInfo>> listAlongside(
      ObjectStore backupStore, String backupId, TransferSettings transfer) {
    return AlongsideRead.start(
        "influxbak-backup-listing",
        transfer.parallelism() > 1 && backupStore.capabilities().remoteListing(),
        abandoned -> listed(backupStore, backupId, transfer.retryPolicy()));
  }

  /**
   * Checks {@code manifest} against the store.
   *
   * @param ownRoot the objects of the backup's own root ({@link #listAlongside})
   */
  static void check(
      ObjectStore backupStore,
      BackupManifest manifest,
      Map<ObjectKey, ObjectInfo> ownRoot,
      RetryPolicy retry)
      throws IOException {
    String backupId = manifest.backupId();
    Map<String, Map<ObjectKey, ObjectInfo>> roots = new HashMap<>();
    roots.put(backupId, ownRoot);
    for (String holder : ReuseHolders.of(manifest.entries()).keySet()) {
      roots.put(holder, listed(backupStore, holder, retry));
    }
    List<String> problems = new ArrayList<>();
    for (ManifestEntry entry : manifest.entries()) {
      StoredCopy stored = entry.stored();
      String holder = stored.backupId().orElse(backupId);
      ObjectKey key = entry.storedKey(backupId);
      ObjectInfo info = roots.get(holder).get(key);
      Optional<String> problem;
      if (info == null) {
        problem =
            Optional.of(
                roots.get(holder).isEmpty() && !holder.equals(backupId)
                    ? "missing: backup " + holder + ", which holds it, is gone"
                    : "missing");
      } else if (info.size() != stored.size()) {
        problem = Optional.of("size " + info.size() + ", the manifest says " + stored.size());
      } else if (stored.crc32c().isPresent()
          && info.checksum(ChecksumAlgorithm.CRC32C).isPresent()
          && !info.checksum(ChecksumAlgorithm.CRC32C).equals(stored.crc32c())) {
        problem = Optional.of("CRC32C differs from the manifest's");
      } else {
        problem = Optional.empty();
      }
      problem.ifPresent(p -> problems.add(key + " (" + p + ")"));
    }
    if (!problems.isEmpty()) {
      throw new BackupDamagedException(backupStore.id(), KeyPrefix.of(backupId), problems);
    }
  }

  /**
   * The data keys of the backups that hold encrypted copies among {@code stored} (this backup's and
   * those it reuses from), by backup id, each unwrapped with {@code keys} before the first write.
   *
   * @throws io.influxbak.encryption.EncryptionKeyException if one does not unwrap
   */
  static Map<String, DataKey> dataKeys(
      ObjectStore store,
      String backupId,
      Collection<StoredCopy> stored,
      BackupKeys keys,
      RetryPolicy retry)
      throws IOException {
    return Retries.retrying(
        retry,
        "read the data keys of " + backupId,
        () -> BackupRepository.of(store, keys).dataKeys(backupId, stored));
  }

  private static Map<ObjectKey, ObjectInfo> listed(
      ObjectStore store, String backupId, RetryPolicy retry) throws IOException {
    return Retries.retrying(
        retry,
        "list " + backupId + "/",
        () -> BackupRepository.of(store).storedObjects(BackupId.of(backupId)));
  }
}
