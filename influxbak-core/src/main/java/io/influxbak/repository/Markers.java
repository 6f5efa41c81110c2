package io.influxbak.repository;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.influxbak.manifest.ManifestFormat;
import io.influxbak.store.ContentMismatchException;
import io.influxbak.store.ExpectedContent;
import io.influxbak.store.HashingInputStream;
import io.influxbak.store.ObjectAlreadyExistsException;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.WriteMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
  /**
   * Made on the first read of a marker's field, not when the class loads: the mapper's classes cost
   * a cold command-line run about a tenth of a second to load.
   */
  private static final class Reader {
    static final ObjectMapper JSON = new ObjectMapper();
  }

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

  /** Marks the start of {@code backupId} by the run {@code run} (only if absent). */
  static void writeStarted(ObjectStore store, BackupId backupId, Instant startedAt, String run)
      throws IOException {
    requireNonNull(startedAt, "startedAt is null");
    String json =
        "{\"backupId\": \""
            + backupId.toString().replace("\"", "")
            + "\", \"run\": \""
            + run.replace("\"", "")
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
    try {
      return startField(store, backupId, "startedAt").map(Instant::parse);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** Which run started {@code backupId}, from its start marker; empty when it does not say. */
  static Optional<String> startedBy(ObjectStore store, BackupId backupId) throws IOException {
    return startField(store, backupId, "run");
  }

  /**
   * A field of the start marker. A read cut short is a (transient) {@link
   * ContentMismatchException}, not a marker without the field: whose run claimed the id must not be
   * guessed from half a file.
   */
  private static Optional<String> startField(ObjectStore store, BackupId backupId, String field)
      throws IOException {
    ObjectKey key = backupId.root().resolve(BackupRepository.STARTED_MARKER);
    Optional<ObjectInfo> info = store.stat(key);
    if (info.isEmpty()) {
      return Optional.empty();
    }
    byte[] bytes;
    try (InputStream in =
        new HashingInputStream(
            store.open(key),
            key,
            HashingInputStream.Hashes.CRC32C,
            Optional.of(ExpectedContent.ofSize(info.get().size())))) {
      bytes = in.readNBytes(64 << 10);
      in.transferTo(OutputStream.nullOutputStream()); // to the end, so the size is checked
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
    try {
      JsonNode marker = Reader.JSON.readTree(bytes);
      JsonNode value = marker == null ? null : marker.get(field);
      return value == null ? Optional.empty() : Optional.of(value.asText());
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }
}
