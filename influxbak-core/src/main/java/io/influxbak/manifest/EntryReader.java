package io.influxbak.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.influxbak.layout.CopyPhase;
import io.influxbak.layout.ObjectKind;
import io.influxbak.store.Checksum;
import io.influxbak.store.ChecksumAlgorithm;
import io.influxbak.store.InvalidKeyException;
import io.influxbak.store.ObjectKey;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.annotation.Nullable;

/**
 * Reads one object of a manifest's {@code objects} array strictly: a safe key, a known kind in the
 * phase that copies it, a size, well-formed checksums and, for a stored copy, a valid holder backup
 * id and encoding. Anything else is a {@link ManifestException} naming the manifest and the object.
 *
 * <p>Read from the token stream, fields in any order, unknown fields skipped: a manifest of a
 * million objects is read without building a JSON tree for each (which took most of the time of
 * reading a parent manifest).
 */
final class EntryReader {
  private EntryReader() {}

  /**
   * Reads the entry whose {@code START_OBJECT} is {@code json}'s current token; leaves the parser
   * on its {@code END_OBJECT}.
   */
  static ManifestEntry entry(String name, JsonParser json) throws IOException {
    return entry(name, json, new HashMap<>());
  }

  /**
   * Like {@link #entry(String, JsonParser)}, taking the holder backup ids read before from {@code
   * holders} (and adding new ones): a manifest's reused entries name a few holders a million times,
   * and each held once is checked once and kept once.
   */
  static ManifestEntry entry(String name, JsonParser json, Map<String, Optional<String>> holders)
      throws IOException {
    return entry(name, Fields.read(name, json), holders);
  }

  /** Judges the fields {@code raw} of one entry as {@link #entry(String, JsonParser)} does. */
  static ManifestEntry entry(String name, Fields raw, Map<String, Optional<String>> holders)
      throws ManifestException {
    if (raw.key == null) {
      throw new ManifestException(name, "an object has no key", null);
    }
    ObjectKey key;
    try {
      key = ObjectKey.of(raw.key);
    } catch (InvalidKeyException e) {
      throw new ManifestException(name, "unsafe object key: " + e.getMessage(), e);
    }
    ObjectKind kind = enumValue(name, ObjectKind.class, required(name, raw.kind, "kind"), key);
    CopyPhase phase = enumValue(name, CopyPhase.class, required(name, raw.phase, "phase"), key);
    if (!phase.kinds().contains(kind)) {
      throw new ManifestException(
          name,
          "object " + key + " has kind " + kind + ", which phase " + phase + " does not copy",
          null);
    }
    if (raw.size < 0) {
      throw new ManifestException(
          name, "object " + key + " has no valid size (a whole number from 0 to 2^63-1)", null);
    }
    Optional<Checksum> crc32c = checksum(name, raw.crc32c, "crc32c", ChecksumAlgorithm.CRC32C, key);
    StoredCopy copy =
        raw.stored == null
            ? StoredCopy.plain(raw.size, crc32c)
            : stored(name, raw.stored, key, holders, raw.crc32c, crc32c);
    try {
      return new ManifestEntry(
          key,
          kind,
          phase,
          raw.size,
          crc32c,
          checksum(name, raw.sha256, "sha256", ChecksumAlgorithm.SHA256, key),
          copy);
    } catch (IllegalArgumentException e) {
      throw new ManifestException(name, "object " + key + ": " + e.getMessage(), e);
    }
  }

  /**
   * The stored copy {@code raw} describes; its CRC32C is the entry's own ({@code entryCrc32c}) when
   * it has the same text, as a plain or reused copy's has.
   */
  private static StoredCopy stored(
      String name,
      Fields raw,
      ObjectKey key,
      Map<String, Optional<String>> holders,
      @Nullable String entryCrc32cText,
      Optional<Checksum> entryCrc32c)
      throws ManifestException {
    if (!raw.object) {
      throw new ManifestException(name, "object " + key + " has an invalid stored field", null);
    }
    Optional<String> backup = Optional.empty();
    if (raw.backup != null) {
      backup = holders.get(raw.backup);
      if (backup == null) {
        try {
          StoredCopy.checkBackupId(raw.backup);
        } catch (IllegalArgumentException e) { // InvalidKeyException is one
          throw new ManifestException(
              name, "object " + key + " is stored in an invalid backup id " + raw.backup, e);
        }
        backup = Optional.of(raw.backup);
        holders.put(raw.backup, backup);
      }
    }
    String encodingText = required(name, raw.encoding, "encoding");
    Encoding encoding = Encoding.ofWritten(encodingText); // as written, without a new string
    if (encoding == null) {
      encoding =
          enumValue(name, Encoding.class, encodingText.toUpperCase(Locale.ROOT), key); // any case
    }
    if (raw.size < 0) {
      throw new ManifestException(
          name,
          "object " + key + " has no valid stored size (a whole number from 0 to 2^63-1)",
          null);
    }
    return new StoredCopy(
        backup,
        encoding,
        raw.size,
        raw.crc32c != null && raw.crc32c.equals(entryCrc32cText)
            ? entryCrc32c
            : checksum(name, raw.crc32c, "crc32c", ChecksumAlgorithm.CRC32C, key));
  }

  private static Optional<Checksum> checksum(
      String name, @Nullable String value, String field, ChecksumAlgorithm algorithm, ObjectKey key)
      throws ManifestException {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Checksum(algorithm, value));
    } catch (IllegalArgumentException e) {
      throw new ManifestException(
          name, "object " + key + " has an invalid " + field + ": " + value, e);
    }
  }

  private static String required(String name, @Nullable String value, String field)
      throws ManifestException {
    if (value == null) {
      throw new ManifestException(name, "an object has no " + field, null);
    }
    return value;
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

  /**
   * The fields of one entry, or of its {@code stored} object, as they came: text fields only if
   * JSON strings, a size only if a JSON integer from 0 to 2^63-1 (else -1), checksums and the
   * holder backup as text (a JSON null is absent). Read from tokens ({@link #read}), or made by
   * {@link EntryScanner} from an entry's bytes as this library writes them.
   */
  static final class Fields {
    private static final List<String> KNOWN =
        List.of("key", "kind", "phase", "encoding", "backup", "crc32c", "sha256", "size", "stored");

    /** Whether the value was a JSON object (a {@code stored} field may be something else). */
    boolean object;

    @Nullable String key;
    @Nullable String kind;
    @Nullable String phase;
    @Nullable String encoding;
    @Nullable String backup;
    @Nullable String crc32c;
    @Nullable String sha256;
    long size = -1;
    @Nullable Fields stored;

    /** Reads the value at {@code json}'s current token, skipping it whole if not an object. */
    static Fields read(String name, JsonParser json) throws IOException {
      Fields fields = new Fields();
      if (json.currentToken() != JsonToken.START_OBJECT) {
        json.skipChildren();
        return fields;
      }
      fields.object = true;
      int seen = 0; // one bit per known field: a field given twice is refused, not last-wins
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        JsonToken value = json.nextToken();
        int known = KNOWN.indexOf(field);
        if (known >= 0) {
          if ((seen & 1 << known) != 0) {
            throw new ManifestException(name, "an object gives \"" + field + "\" twice", null);
          }
          seen |= 1 << known;
        }
        switch (field) {
          case "key" -> fields.key = string(json, value);
          case "kind" -> fields.kind = string(json, value);
          case "phase" -> fields.phase = string(json, value);
          case "encoding" -> fields.encoding = string(json, value);
          case "backup" -> fields.backup = text(json, value);
          case "crc32c" -> fields.crc32c = text(json, value);
          case "sha256" -> fields.sha256 = text(json, value);
          case "size" -> fields.size = size(json, value);
          case "stored" -> fields.stored = value == JsonToken.VALUE_NULL ? null : read(name, json);
          default -> json.skipChildren(); // fields of later minor additions are ignored
        }
      }
      return fields;
    }

    private static @Nullable String string(JsonParser json, JsonToken value) throws IOException {
      json.skipChildren();
      return value == JsonToken.VALUE_STRING ? json.getText() : null;
    }

    /** A scalar's text, empty for an object or array (which no checksum or id is), or null. */
    private static @Nullable String text(JsonParser json, JsonToken value) throws IOException {
      if (value == JsonToken.VALUE_NULL) {
        return null;
      }
      if (value.isStructStart()) {
        json.skipChildren();
        return "";
      }
      return json.getText();
    }

    private static long size(JsonParser json, JsonToken value) throws IOException {
      json.skipChildren();
      if (value != JsonToken.VALUE_NUMBER_INT
          || json.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        return -1;
      }
      return json.getLongValue(); // negative values are invalid, as -1 is
    }
  }
}
