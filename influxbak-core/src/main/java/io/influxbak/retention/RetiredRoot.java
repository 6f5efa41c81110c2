package io.influxbak.retention;

import io.influxbak.manifest.ManifestFormat;
import io.influxbak.repository.BackupRepository;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectLock;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.store.ObjectStore;
import io.influxbak.transfer.Listeners;
import io.influxbak.transfer.Retries;
import io.influxbak.transfer.TransferSettings;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The removal of one retired backup's root by a prune: its manifest, every data object no remaining
 * backup needs, then, once no data is left, its other records, the retired marker last. In a store
 * with object locks nothing a lock still holds is deleted (or even tried): the prune asks the lock
 * of each object before it deletes it, leaves locked ones, and the root stays retired until a later
 * prune finds the locks passed.
 */
final class RetiredRoot {
  private final ObjectStore store;
  private final TransferSettings settings;
  private final boolean dryRun;
  private final Instant now;

  /** Objects deleted (or that would be) and their bytes, over every root swept. */
  long objectsDeleted;

  long bytesFreed;

  RetiredRoot(ObjectStore store, TransferSettings settings, boolean dryRun) {
    this.store = store;
    this.settings = settings;
    this.dryRun = dryRun;
    this.now = settings.clock().instant();
  }

  /**
   * Deletes from {@code id}'s root its manifest and every data object not {@code needed} (none with
   * {@code keepAllData}) and not locked; once no data is left, its other unlocked records, the
   * retired marker last and only if nothing is left locked.
   *
   * @param locked where the latest lock still holding an object of the root is put, by backup id
   * @return whether the backup is now gone entirely
   */
  boolean sweep(
      String id, Set<ObjectKey> needed, boolean keepAllData, Map<String, ObjectLock> locked)
      throws IOException {
    KeyPrefix root = KeyPrefix.of(id);
    if (!dryRun) {
      store.removeIncompleteWrites(root); // or the root never empties
    }
    List<ObjectKey> records = new ArrayList<>();
    List<ObjectInfo> data = new ArrayList<>();
    try (ObjectIterator listing = store.list(root)) {
      while (listing.hasNext()) {
        ObjectInfo info = listing.next();
        if (BackupRepository.isRecord(info.key().relativeTo(root))) {
          records.add(info.key());
        } else {
          data.add(info);
        }
      }
    }
    ObjectKey manifest = root.resolve(ManifestFormat.FILE_NAME);
    if (records.contains(manifest) && !lockedNow(id, manifest, locked)) {
      delete(manifest);
    }
    boolean keepsData = false;
    for (ObjectInfo info : data) {
      if (keepAllData || needed.contains(info.key()) || lockedNow(id, info.key(), locked)) {
        keepsData = true;
        continue;
      }
      delete(info.key());
      objectsDeleted++;
      bytesFreed += info.size();
    }
    if (keepsData) {
      return false;
    }
    ObjectKey retiredMarker = root.resolve(BackupRepository.RETIRED_MARKER);
    boolean keepsRecords = false;
    for (ObjectKey record : records) {
      if (record.equals(retiredMarker) || record.equals(manifest)) {
        continue;
      }
      if (lockedNow(id, record, locked)) {
        keepsRecords = true;
      } else {
        delete(record);
      }
    }
    if (keepsRecords || locked.containsKey(id)) {
      return false;
    }
    // Last: until it goes, a rerun finds the backup retired and finishes it.
    delete(retiredMarker);
    return true;
  }

  /**
   * Whether a lock still holds {@code key}, noting the lock under {@code id} if so; a store without
   * locks is never asked.
   */
  private boolean lockedNow(String id, ObjectKey key, Map<String, ObjectLock> locked)
      throws IOException {
    if (!store.capabilities().objectLocks()) {
      return false;
    }
    Optional<ObjectLock> lock;
    try {
      lock =
          Retries.retrying(
              settings.retryPolicy(), "read the lock of " + key, () -> store.lockOf(key));
    } catch (ObjectNotFoundException e) {
      return false;
    }
    if (lock.isEmpty() || !lock.get().holdsAt(now)) {
      return false;
    }
    locked.merge(id, lock.get(), ObjectLock::atLeast);
    return true;
  }

  private void delete(ObjectKey key) throws IOException {
    if (dryRun) {
      return;
    }
    settings.cancellation().throwIfCancelled("prune");
    Retries.running(
        settings.retryPolicy(),
        "prune",
        () -> {
          store.delete(key);
        });
    Listeners.tell(() -> settings.progress().objectDeleted(key));
  }
}
