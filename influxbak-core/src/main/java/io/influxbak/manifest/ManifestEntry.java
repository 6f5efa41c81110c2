package io.influxbak.manifest;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import io.influxbak.layout.CopyPhase;
import io.influxbak.layout.ObjectKind;
import io.influxbak.store.Checksum;
import io.influxbak.store.ChecksumAlgorithm;
import io.influxbak.store.ObjectKey;
import java.util.Optional;

/**
 * One object of a backup.
 *
 * @param key the object's key relative to the backup root, which is its node key ({@code
 *     <node-id>/...} or {@code <cluster-id>/...}): where it came from and where a restore puts it
 * @param kind what the object is
 * @param phase the phase that copied it
 * @param size its size in bytes
 * @param crc32c CRC32C of its bytes (the checksum S3 and GCS keep natively), when known
 * @param sha256 SHA-256 of its bytes (tamper evidence), when computed
 * @param storage where and how the backup keeps the bytes, when that is not as they are in this
 *     backup's root ({@link #stored()} gives it either way); hashes and {@code size} always
 *     describe the object's own bytes, whatever the encoding
 */
public record ManifestEntry(
    ObjectKey key,
    ObjectKind kind,
    CopyPhase phase,
    long size,
    Optional<Checksum> crc32c,
    Optional<Checksum> sha256,
    Optional<StoredCopy> storage) {
  /** An object kept as it is, in the backup that lists it. */
  public ManifestEntry(
      ObjectKey key,
      ObjectKind kind,
      CopyPhase phase,
      long size,
      Optional<Checksum> crc32c,
      Optional<Checksum> sha256) {
    this(key, kind, phase, size, crc32c, sha256, Optional.empty());
  }

  /**
   * An object kept as {@code stored} says. A plain copy in the listing backup is held as no value
   * at all: a backup can list millions of objects.
   */
  public ManifestEntry(
      ObjectKey key,
      ObjectKind kind,
      CopyPhase phase,
      long size,
      Optional<Checksum> crc32c,
      Optional<Checksum> sha256,
      StoredCopy stored) {
    this(
        key,
        kind,
        phase,
        size,
        crc32c,
        sha256,
        isPlain(stored, size, crc32c) ? Optional.empty() : Optional.of(stored));
  }

  /**
   * Whether {@code stored} equals {@code StoredCopy.plain(size, crc32c)}, compared field by field:
   * a record's own {@code equals} is an {@code invokedynamic} site whose first call builds its
   * method handles (26 ms on a cold JVM) and whose calls run slowly until compiled, once for each
   * of a manifest's entries.
   */
  private static boolean isPlain(StoredCopy stored, long size, Optional<Checksum> crc32c) {
    return stored.isPlain() && stored.size() == size && stored.crc32c().equals(crc32c);
  }

  /** Checks the parts. */
  public ManifestEntry {
    requireNonNull(storage, "storage is null");
    requireNonNull(key, "key is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(phase, "phase is null");
    requireNonNull(crc32c, "crc32c is null");
    requireNonNull(sha256, "sha256 is null");
    checkArgument(size >= 0, "negative size for %s", key);
    checkArgument(
        crc32c.map(c -> c.algorithm() == ChecksumAlgorithm.CRC32C).orElse(true),
        "not a CRC32C for %s",
        key);
    checkArgument(
        sha256.map(c -> c.algorithm() == ChecksumAlgorithm.SHA256).orElse(true),
        "not a SHA-256 for %s",
        key);
    storage.ifPresent(
        stored ->
            checkArgument(
                stored.encoding() != Encoding.IDENTITY || stored.size() == size,
                "stored size differs from size for %s",
                key));
  }

  /**
   * Where and how the backup keeps the bytes (a plain copy in the listing backup, unless {@link
   * #storage()} says otherwise).
   */
  public StoredCopy stored() {
    return storage.orElseGet(() -> StoredCopy.plain(size, crc32c));
  }

  /** Whether the bytes were reused from an earlier backup rather than copied by this one. */
  public boolean reused() {
    return storage.isPresent() && storage.get().backupId().isPresent();
  }

  /** The key of the stored bytes, for this entry listed by {@code backupId}. */
  public ObjectKey storedKey(String backupId) {
    return stored().key(key, backupId);
  }
}
