package io.influxbak.plan;

import static java.util.Objects.requireNonNull;

import io.influxbak.layout.ObjectKind;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.manifest.StoredCopy;
import io.influxbak.store.Checksum;
import io.influxbak.store.ObjectKey;
import java.util.Optional;

/**
 * One object a plan copied, named by its node key ({@code <node-id>/...}: the key it has on the
 * server, and under the backup's root in a backup), with the hashes computed while its bytes
 * streamed (or the store's native checksum, for a server-side copy).
 *
 * @param key the object's node key
 * @param kind what the object is
 * @param phase the phase that copied it
 * @param size bytes copied
 * @param crc32c CRC32C of the bytes, when known
 * @param sha256 SHA-256 of the bytes, when computed
 * @param storage where and how the backup keeps the bytes, when that is not as they are in the
 *     backup that lists them ({@link #stored()} gives it either way): in an earlier backup an
 *     incremental one reuses, or compressed
 */
public record CopiedObject(
    ObjectKey key,
    ObjectKind kind,
    CopyPhase phase,
    long size,
    Optional<Checksum> crc32c,
    Optional<Checksum> sha256,
    Optional<StoredCopy> storage) {
  /** An object copied as it is. */
  public CopiedObject(
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
  public CopiedObject(
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
        stored.equals(StoredCopy.plain(size, crc32c)) ? Optional.empty() : Optional.of(stored));
  }

  /** Checks that no component is null. */
  public CopiedObject {
    requireNonNull(storage, "storage is null");
    requireNonNull(key, "key is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(phase, "phase is null");
    requireNonNull(crc32c, "crc32c is null");
    requireNonNull(sha256, "sha256 is null");
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

  /** This object as a manifest entry. */
  public ManifestEntry toEntry() {
    return new ManifestEntry(key, kind, phase, size, crc32c, sha256, storage);
  }

  /** A manifest entry as a copied object. */
  public static CopiedObject of(ManifestEntry entry) {
    return new CopiedObject(
        entry.key(),
        entry.kind(),
        entry.phase(),
        entry.size(),
        entry.crc32c(),
        entry.sha256(),
        entry.storage());
  }
}
