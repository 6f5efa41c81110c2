package io.influxbak.repository;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.influxbak.manifest.ManifestFormat;
import io.influxbak.store.ObjectAlreadyExistsException;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.WriteMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Properties;

/**
 * The small JSON markers under a backup's root: {@link BackupRepository#STARTED_MARKER}, written
 * first, and {@link BackupRepository#RETIRED_MARKER}, written by a prune. Both only if absent.
 */
final class Markers {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Markers() {}

  /** The version of this library, from the properties the build writes. */
  static String libraryVersion() {
    try (InputStream in = Markers.class.getResourceAsStream("/io/influxbak/influxbak.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Marks the start of {@code backupId} (only if absent). */
  static void writeStarted(ObjectStore store, BackupId backupId, Instant startedAt)
      throws IOException {
    requireNonNull(startedAt, "startedAt is null");
    String json =
        "{\"backupId\": \""
            + backupId.toString().replace("\"", "")
            + "\", \"startedAt\": \""
            + startedAt
            + "\", \"formatVersion\": "
            + ManifestFormat.CURRENT_VERSION
            + "}\n";
    store.write(
        backupId.root().resolve(BackupRepository.STARTED_MARKER),
        ObjectContent.ofBytes(json.getBytes(StandardCharsets.UTF_8)),
        WriteMode.CREATE_NEW);
  }

  /**
   * Marks {@code backupId} retired as of {@code retiredAt} (only if absent: a marker already there
   * from an interrupted prune stays as it is).
   */
  static void writeRetired(ObjectStore store, BackupId backupId, Instant retiredAt)
      throws IOException {
    String json =
        "{\"backupId\": \""
            + backupId.toString().replace("\"", "")
            + "\", \"retiredAt\": \""
            + retiredAt
            + "\"}\n";
    try {
      store.write(
          backupId.root().resolve(BackupRepository.RETIRED_MARKER),
          ObjectContent.ofBytes(json.getBytes(StandardCharsets.UTF_8)),
          WriteMode.CREATE_NEW);
    } catch (ObjectAlreadyExistsException e) {
      // retired before
    }
  }

  /**
   * When {@code backupId} was started, from its start marker; empty when the marker is missing or
   * does not say (such a backup has no usable age).
   */
  static Optional<Instant> startedAt(ObjectStore store, BackupId backupId) throws IOException {
    try (InputStream in = store.open(backupId.root().resolve(BackupRepository.STARTED_MARKER))) {
      JsonNode marker = JSON.readTree(in.readNBytes(64 << 10));
      JsonNode started = marker == null ? null : marker.get("startedAt");
      return started == null ? Optional.empty() : Optional.of(Instant.parse(started.asText()));
    } catch (ObjectNotFoundException | DateTimeParseException | JsonProcessingException e) {
      return Optional.empty();
    }
  }
}
