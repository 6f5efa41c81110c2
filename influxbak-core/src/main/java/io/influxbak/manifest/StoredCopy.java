package io.influxbak.manifest;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import io.influxbak.store.Checksum;
import io.influxbak.store.ChecksumAlgorithm;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectKey;
import java.util.Optional;

/**
 * Where and how a backup keeps one object's bytes. An incremental backup does not copy an object an
 * earlier complete backup in the same destination already holds with the same key, size and hash:
 * its entry names that backup here instead, and the bytes stay where they are. Retention never
 * deletes bytes a remaining backup's entry names.
 *
 * @param backupId the backup whose root holds the bytes; empty for the backup that lists the entry
 * @param encoding how the bytes are kept
 * @param size the size of the stored bytes (the object's size, unless compressed)
 * @param crc32c CRC32C of the stored bytes (the object's, unless compressed), when known: what a
 *     shallow verify compares with the store's native checksum
 */
public record StoredCopy(
    Optional<String> backupId, Encoding encoding, long size, Optional<Checksum> crc32c) {
  /** Checks the parts. */
  public StoredCopy {
    requireNonNull(backupId, "backupId is null");
    requireNonNull(encoding, "encoding is null");
    requireNonNull(crc32c, "crc32c is null");
    backupId.ifPresent(StoredCopy::checkBackupId);
    checkArgument(size >= 0, "negative stored size");
    checkArgument(
        crc32c.map(c -> c.algorithm() == ChecksumAlgorithm.CRC32C).orElse(true), "not a CRC32C");
  }

  /** The object's own bytes in the backup that lists it. */
  public static StoredCopy plain(long size, Optional<Checksum> crc32c) {
    return new StoredCopy(Optional.empty(), Encoding.IDENTITY, size, crc32c);
  }

  /**
   * Whether this is the object's own bytes in the backup that lists it (what format version 1 can
   * say).
   */
  public boolean isPlain() {
    return backupId.isEmpty() && encoding == Encoding.IDENTITY;
  }

  /**
   * The same bytes as seen from another backup that reuses them: they stay in the backup that holds
   * them.
   */
  public StoredCopy reusedFrom(String holder) {
    return new StoredCopy(Optional.of(backupId.orElse(holder)), encoding, size, crc32c);
  }

  /**
   * The key of the stored bytes of the object {@code key}, listed by the backup {@code
   * listingBackupId}.
   */
  public ObjectKey key(ObjectKey key, String listingBackupId) {
    return KeyPrefix.of(backupId.orElse(listingBackupId)).resolve(key + encoding.suffix());
  }

  /** The id of the backup whose root holds the bytes. */
  public String holder(String listingBackupId) {
    return backupId.orElse(listingBackupId);
  }

  /**
   * The last id that passed {@link #checkBackupId}: the stored copies of a manifest's reused
   * entries name one or a few holders a million times, each the same string (the reader keeps one
   * per holder), which need not be checked again. A string is immutable, so a race between threads
   * can only check one again.
   */
  private static volatile String lastChecked = "";

  /** A backup id is one key segment: it names a folder beside the others, never a path. */
  static void checkBackupId(String id) {
    if (id == lastChecked) { // the very string checked last, not an equal one
      return;
    }
    checkArgument(!id.isEmpty() && !id.contains("/"), "not a backup id: %s", id);
    KeyPrefix.of(id); // rejects "..", control characters and the rest, with InvalidKeyException
    lastChecked = id;
  }
}
