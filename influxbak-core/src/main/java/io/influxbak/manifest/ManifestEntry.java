package io.influxbak.manifest;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import io.influxbak.layout.ObjectKind;
import io.influxbak.plan.CopyPhase;
import io.influxbak.store.Checksum;
import io.influxbak.store.ChecksumAlgorithm;
import io.influxbak.store.ObjectKey;
import java.util.Optional;

/**
 * One object of a backup.
 *
 * @param key the object's key relative to the backup root, which is its node key ({@code <node-id>/...} or
 *     {@code <cluster-id>/...}): where it came from and where a restore puts it
 * @param kind what the object is
 * @param phase the phase that copied it
 * @param size its size in bytes
 * @param crc32c CRC32C of its bytes (the checksum S3 and GCS keep natively), when known
 * @param sha256 SHA-256 of its bytes (tamper evidence), when computed
 * @param stored where and how the backup keeps the bytes: hashes and {@code size} always describe the object's
 *     own bytes, whatever the encoding
 */
public record ManifestEntry(
    ObjectKey key, ObjectKind kind, CopyPhase phase, long size, Optional<Checksum> crc32c, Optional<Checksum> sha256, StoredCopy stored) {
  /** An object kept as it is, in the backup that lists it. */
  public ManifestEntry(ObjectKey key, ObjectKind kind, CopyPhase phase, long size, Optional<Checksum> crc32c, Optional<Checksum> sha256) {
    this(key, kind, phase, size, crc32c, sha256, StoredCopy.plain(size, crc32c));
  }

  /** Checks the parts. */
  public ManifestEntry {
    requireNonNull(stored, "stored is null");
    requireNonNull(key, "key is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(phase, "phase is null");
    requireNonNull(crc32c, "crc32c is null");
    requireNonNull(sha256, "sha256 is null");
    checkArgument(size >= 0, "negative size for %s", key);
    checkArgument(crc32c.map(c -> c.algorithm() == ChecksumAlgorithm.CRC32C).orElse(true), "not a CRC32C for %s", key);
    checkArgument(sha256.map(c -> c.algorithm() == ChecksumAlgorithm.SHA256).orElse(true), "not a SHA-256 for %s", key);
    checkArgument(stored.encoding() != Encoding.IDENTITY || stored.size() == size, "stored size differs from size for %s", key);
  }

  /** The key of the stored bytes, for this entry listed by {@code backupId}. */
  public ObjectKey storedKey(String backupId) {
    return stored.key(key, backupId);
  }
}
