package io.influxbak.plan;

import static java.util.Objects.requireNonNull;

import io.influxbak.layout.ObjectKind;
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
 */
public record CopiedObject(
    ObjectKey key, ObjectKind kind, CopyPhase phase, long size, Optional<Checksum> crc32c, Optional<Checksum> sha256) {
  /** Checks that no component is null. */
  public CopiedObject {
    requireNonNull(key, "key is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(phase, "phase is null");
    requireNonNull(crc32c, "crc32c is null");
    requireNonNull(sha256, "sha256 is null");
  }
}
