package io.influxbak.plan;

import static java.util.Objects.requireNonNull;

import io.influxbak.layout.ObjectKind;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.manifest.StoredCopy;
import io.influxbak.store.Checksum;
import io.influxbak.store.ObjectKey;
import java.util.Optional;

/**
 * One object a plan copied, named by its node key ({@code <node-id>/...}: the key it has on the server, and
 * under the backup's root in a backup), with the hashes computed while its bytes streamed (or the store's
 * native checksum, for a server-side copy).
 *
 * @param key the object's node key
 * @param kind what the object is
 * @param phase the phase that copied it
 * @param size bytes copied
 * @param crc32c CRC32C of the bytes, when known
 * @param sha256 SHA-256 of the bytes, when computed
 * @param stored where and how the backup keeps the bytes (in a backup: in this backup, or in an earlier one an
 *     incremental backup reuses; compressed or not); in a restore, plain
 */
public record CopiedObject(
    ObjectKey key, ObjectKind kind, CopyPhase phase, long size, Optional<Checksum> crc32c, Optional<Checksum> sha256, StoredCopy stored) {
  /** An object copied as it is. */
  public CopiedObject(ObjectKey key, ObjectKind kind, CopyPhase phase, long size, Optional<Checksum> crc32c, Optional<Checksum> sha256) {
    this(key, kind, phase, size, crc32c, sha256, StoredCopy.plain(size, crc32c));
  }

  /** Checks that no component is null. */
  public CopiedObject {
    requireNonNull(stored, "stored is null");
    requireNonNull(key, "key is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(phase, "phase is null");
    requireNonNull(crc32c, "crc32c is null");
    requireNonNull(sha256, "sha256 is null");
  }

  /** Whether the bytes were reused from an earlier backup rather than copied by this one. */
  public boolean reused() {
    return stored.backupId().isPresent();
  }

  /** This object as a manifest entry. */
  public ManifestEntry toEntry() {
    return new ManifestEntry(key, kind, phase, size, crc32c, sha256, stored);
  }

  /** A manifest entry as a copied object. */
  public static CopiedObject of(ManifestEntry entry) {
    return new CopiedObject(entry.key(), entry.kind(), entry.phase(), entry.size(), entry.crc32c(), entry.sha256(), entry.stored());
  }
}
