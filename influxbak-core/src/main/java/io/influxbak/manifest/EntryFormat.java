package io.influxbak.manifest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * One object of a manifest's {@code objects} array as JSON, as {@link ManifestFormat} writes and
 * reads it: also the form in which other records (journal chunks, the reports of copy tasks run
 * elsewhere) carry entries, so that there is one encoding of an entry.
 */
public final class EntryFormat {
  private EntryFormat() {}

  /** Writes {@code entry} as one JSON object. */
  public static void write(ManifestEntry entry, JsonGenerator json) throws IOException {
    requireNonNull(entry, "entry is null");
    requireNonNull(json, "json is null");
    json.writeStartObject();
    json.writeStringField("key", entry.key().toString());
    json.writeStringField("kind", entry.kind().name());
    json.writeStringField("phase", entry.phase().name());
    json.writeNumberField("size", entry.size());
    if (entry.crc32c().isPresent()) {
      json.writeStringField("crc32c", entry.crc32c().get().hex());
    }
    if (entry.sha256().isPresent()) {
      json.writeStringField("sha256", entry.sha256().get().hex());
    }
    if (!entry.stored().isPlain()) {
      StoredCopy stored = entry.stored();
      json.writeObjectFieldStart("stored");
      if (stored.backupId().isPresent()) {
        json.writeStringField("backup", stored.backupId().get());
      }
      json.writeStringField("encoding", stored.encoding().written());
      json.writeNumberField("size", stored.size());
      if (stored.crc32c().isPresent()) {
        json.writeStringField("crc32c", stored.crc32c().get().hex());
      }
      json.writeEndObject();
    }
    json.writeEndObject();
  }

  /**
   * Reads one entry strictly (a safe key, a known kind in its phase, a size, well-formed
   * checksums).
   *
   * @param name the record it is read from, for messages
   * @throws ManifestException naming the record and what is wrong
   */
  public static ManifestEntry read(String name, JsonNode raw) throws ManifestException {
    requireNonNull(name, "name is null");
    requireNonNull(raw, "raw is null");
    try (JsonParser json = raw.traverse()) {
      json.nextToken();
      return EntryReader.entry(name, json);
    } catch (ManifestException e) {
      throw e;
    } catch (IOException e) {
      throw new ManifestException(name, "an object is not valid JSON: " + e.getMessage(), e);
    }
  }
}
