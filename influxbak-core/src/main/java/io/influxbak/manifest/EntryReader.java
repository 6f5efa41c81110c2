package io.influxbak.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import io.influxbak.layout.CopyPhase;
import io.influxbak.layout.ObjectKind;
import io.influxbak.store.Checksum;
import io.influxbak.store.ChecksumAlgorithm;
import io.influxbak.store.InvalidKeyException;
import io.influxbak.store.ObjectKey;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads one object of a manifest's {@code objects} array strictly: a safe key, a known kind in the
 * phase that copies it, a size, well-formed checksums and, for a stored copy, a valid holder backup
 * id and encoding. Anything else is a {@link ManifestException} naming the manifest and the object.
 */
final class EntryReader {
  private EntryReader() {}

  static ManifestEntry entry(String name, JsonNode raw) throws ManifestException {
    String keyText = text(name, raw, "key");
    ObjectKey key;
    try {
      key = ObjectKey.of(keyText);
    } catch (InvalidKeyException e) {
      throw new ManifestException(name, "unsafe object key: " + e.getMessage(), e);
    }
    ObjectKind kind = enumValue(name, ObjectKind.class, text(name, raw, "kind"), key);
    CopyPhase phase = enumValue(name, CopyPhase.class, text(name, raw, "phase"), key);
    if (!phase.kinds().contains(kind)) {
      throw new ManifestException(
          name,
          "object " + key + " has kind " + kind + ", which phase " + phase + " does not copy",
          null);
    }
    JsonNode size = raw.get("size");
    if (!isSize(size)) {
      throw new ManifestException(
          name, "object " + key + " has no valid size (a whole number from 0 to 2^63-1)", null);
    }
    Optional<Checksum> crc32c = checksum(name, raw, "crc32c", ChecksumAlgorithm.CRC32C, key);
    JsonNode stored = raw.get("stored");
    StoredCopy copy =
        stored == null || stored.isNull()
            ? StoredCopy.plain(size.asLong(), crc32c)
            : stored(name, stored, key);
    try {
      return new ManifestEntry(
          key,
          kind,
          phase,
          size.asLong(),
          crc32c,
          checksum(name, raw, "sha256", ChecksumAlgorithm.SHA256, key),
          copy);
    } catch (IllegalArgumentException e) {
      throw new ManifestException(name, "object " + key + ": " + e.getMessage(), e);
    }
  }

  private static StoredCopy stored(String name, JsonNode raw, ObjectKey key)
      throws ManifestException {
    if (!raw.isObject()) {
      throw new ManifestException(name, "object " + key + " has an invalid stored field", null);
    }
    Optional<String> backup = Optional.empty();
    JsonNode holder = raw.get("backup");
    if (holder != null && !holder.isNull()) {
      try {
        StoredCopy.checkBackupId(holder.asText());
      } catch (IllegalArgumentException e) { // InvalidKeyException is one
        throw new ManifestException(
            name, "object " + key + " is stored in an invalid backup id " + holder.asText(), e);
      }
      backup = Optional.of(holder.asText());
    }
    Encoding encoding =
        enumValue(name, Encoding.class, text(name, raw, "encoding").toUpperCase(Locale.ROOT), key);
    JsonNode size = raw.get("size");
    if (!isSize(size)) {
      throw new ManifestException(
          name,
          "object " + key + " has no valid stored size (a whole number from 0 to 2^63-1)",
          null);
    }
    return new StoredCopy(
        backup,
        encoding,
        size.asLong(),
        checksum(name, raw, "crc32c", ChecksumAlgorithm.CRC32C, key));
  }

  private static Optional<Checksum> checksum(
      String name, JsonNode raw, String field, ChecksumAlgorithm algorithm, ObjectKey key)
      throws ManifestException {
    JsonNode value = raw.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Checksum(algorithm, value.asText()));
    } catch (IllegalArgumentException e) {
      throw new ManifestException(
          name, "object " + key + " has an invalid " + field + ": " + value.asText(), e);
    }
  }

  private static String text(String name, JsonNode raw, String field) throws ManifestException {
    JsonNode value = raw.get(field);
    if (value == null || !value.isTextual()) {
      throw new ManifestException(name, "an object has no " + field, null);
    }
    return value.asText();
  }

  private static <E extends Enum<E>> E enumValue(
      String name, Class<E> type, String value, ObjectKey key) throws ManifestException {
    try {
      return Enum.valueOf(type, value);
    } catch (IllegalArgumentException e) {
      throw new ManifestException(
          name, "object " + key + " has an unknown " + type.getSimpleName() + " " + value, e);
    }
  }

  /** A JSON integer from 0 to 2^63-1 (not a fraction, not a string). */
  private static boolean isSize(JsonNode size) {
    return size != null && size.isIntegralNumber() && size.canConvertToLong() && size.asLong() >= 0;
  }
}
