package io.influxbak.store.gcs;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectLock;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.store.StoreId;
import java.io.IOException;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * GCS object retention on single objects (the bucket must be created with object retention
 * enabled): a lock is extended with one metadata update; only when GCS refuses it (a shorter date,
 * or a {@code Locked} retention asked down to {@code Unlocked}) is the held retention read, and
 * kept or merged with the one asked. GOVERNANCE is {@code Unlocked}, COMPLIANCE {@code Locked}.
 */
final class GcsObjectLocks {
  private final Storage storage;
  private final StoreId id;
  private final boolean enabled;

  GcsObjectLocks(Storage storage, StoreId id, boolean enabled) {
    this.storage = storage;
    this.id = id;
    this.enabled = enabled;
  }

  Optional<ObjectLock> lockOf(ObjectKey key, BlobId blob) throws IOException {
    Blob found;
    try {
      found =
          storage.get(
              blob,
              Storage.BlobGetOption.fields(Storage.BlobField.NAME, Storage.BlobField.RETENTION));
    } catch (RuntimeException e) {
      throw GcsErrors.map(e, id, key, "read the lock of", false);
    }
    if (found == null) {
      throw new ObjectNotFoundException(id, key);
    }
    BlobInfo.Retention retention = found.getRetention();
    if (retention == null || retention.getRetainUntilTime() == null) {
      return Optional.empty();
    }
    return Optional.of(
        new ObjectLock(
            BlobInfo.Retention.Mode.LOCKED.equals(retention.getMode())
                ? ObjectLock.Mode.COMPLIANCE
                : ObjectLock.Mode.GOVERNANCE,
            retention.getRetainUntilTime().toInstant()));
  }

  void lock(ObjectKey key, BlobId blob, ObjectLock lock) throws IOException {
    if (!enabled) {
      throw new UnsupportedOperationException(id + " was not opened with object locks");
    }
    try {
      update(blob, lock);
    } catch (RuntimeException e) {
      IOException mapped = GcsErrors.map(e, id, key, "lock", false);
      if (mapped instanceof ObjectNotFoundException) {
        throw mapped;
      }
      // Refused: perhaps it holds a longer or stricter lock already, which stays.
      Optional<ObjectLock> held = lockOf(key, blob);
      if (held.isEmpty()) {
        throw mapped;
      }
      Optional<ObjectLock> extended = lock.extending(held);
      if (extended.isPresent()) {
        try {
          update(blob, extended.get());
        } catch (RuntimeException again) {
          throw GcsErrors.map(again, id, key, "lock", false);
        }
      }
    }
  }

  private void update(BlobId blob, ObjectLock lock) {
    Blob updated =
        storage.update(
            BlobInfo.newBuilder(BlobId.of(blob.getBucket(), blob.getName()))
                .setRetention(
                    BlobInfo.Retention.newBuilder()
                        .setMode(
                            lock.mode() == ObjectLock.Mode.COMPLIANCE
                                ? BlobInfo.Retention.Mode.LOCKED
                                : BlobInfo.Retention.Mode.UNLOCKED)
                        .setRetainUntilTime(lock.retainUntil().atOffset(ZoneOffset.UTC))
                        .build())
                .build());
    if (updated == null) {
      throw new com.google.cloud.storage.StorageException(404, "No such object: " + blob.getName());
    }
  }
}
