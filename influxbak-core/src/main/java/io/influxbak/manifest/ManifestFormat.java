package io.influxbak.manifest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.google.common.collect.ImmutableMap;
import io.influxbak.layout.ClusterId;
import io.influxbak.layout.NodeId;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The manifest's JSON, format versions 1 and 2. Written and read as a stream, so a manifest of
 * millions of objects never exists as one JSON tree in memory:
 *
 * <pre>{@code
 * {
 *   "formatVersion": 1,
 *   "backupId": "backup-20261124-101500",
 *   "createdAt": "2026-11-24T10:15:07.512Z",
 *   "libraryVersion": "0.1.0",
 *   "product": "core",
 *   "nodes": ["node0"],
 *   "cluster": null,
 *   "pinnedSnapshotSequence": null,
 *   "source": "file:///var/lib/influxdb3",
 *   "options": {"sha256": "true", "includeTableSnapshots": "false"},
 *   "sourceFindings": [
 *     {"severity": "WARNING", "key": "node0/dbs/1/2/2026-11-24/10-00/0000000007.parquet",
 *      "reason": "referenced by a snapshot but absent (retention or a hard delete may have removed it)"}
 *   ],
 *   "objects": [
 *     {"key": "node0/snapshots/18446744073709551614.info.json", "kind": "SNAPSHOT", "phase": "SNAPSHOTS",
 *      "size": 5076, "crc32c": "8f2b1c3a", "sha256": "9c56...e1"},
 *     {"key": "node0/wal/00000000001.wal", "kind": "WAL", "phase": "WAL",
 *      "size": 1200, "crc32c": "03aa1c90", "sha256": "51d0...7a",
 *      "stored": {"backup": "backup-20261123-101500", "encoding": "gzip", "size": 402, "crc32c": "77e0a112"}}
 *   ]
 * }
 * }</pre>
 *
 * <p>{@code size}, {@code crc32c} and {@code sha256} always describe the object's own bytes. The
 * optional {@code stored} object (format version 2) says where and how the backup keeps them when
 * that is not simply {@code <backup-id>/<key>} as they are: {@code backup} names the earlier backup
 * whose root holds them (an incremental backup reuses them), {@code encoding} is {@code identity}
 * or {@code gzip} (stored under the key plus {@code .gz}), and {@code size}/{@code crc32c} describe
 * the stored bytes. A manifest none of whose objects needs {@code stored} is written as version 1,
 * readable by every release. {@code sourceFindings} (optional; older releases ignore it) lists the
 * warnings and errors of the consistency check of what the backup copied.
 *
 * <p>Reading refuses, with a {@link ManifestException} naming the manifest and the reason:
 * malformed JSON, a missing or invalid field, a format version newer than {@link #CURRENT_VERSION}
 * ({@link UnsupportedManifestVersionException}), an unsafe key ({@code ..}, absolute, control
 * characters), a duplicate key, a field given twice in an object, a key outside the manifest's node
 * and cluster prefixes, a kind its phase does not copy, more objects than the caller's limit, and
 * an object entry larger than 16 MiB ({@link EntryScanner} reads the entries).
 */
public final class ManifestFormat {
  /** The format version this library writes and the newest it reads. */
  public static final int CURRENT_VERSION = 2;

  /** The manifest's key relative to the backup root. */
  public static final String FILE_NAME = "manifest.json";

  /**
   * Default limit on the objects a manifest may name when read: 20 million, or fewer when this
   * JVM's heap could not hold them (about 400 bytes of heap a listed object, twice what a
   * million-object plan measured): a manifest naming more is refused with a {@link
   * ManifestException} once the limit is passed, while it streams, instead of exhausting memory.
   * Raise the heap, or pass a limit, for larger backups.
   */
  public static final int DEFAULT_MAX_OBJECTS =
      (int) Math.max(1_000, Math.min(20_000_000L, Runtime.getRuntime().maxMemory() / 400));

  static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(1 << 20).build())
          .build();

  private ManifestFormat() {}

  /**
   * Writes {@code manifest} as JSON to {@code out} (not closed): its fields indented, its objects
   * one compact entry to a line.
   */
  public static void write(BackupManifest manifest, OutputStream out) throws IOException {
    ManifestWriter.write(manifest, out, true);
  }

  /**
   * Writes {@code manifest} as JSON on one line, without indentation (for records written often,
   * such as journals).
   */
  public static void writeCompact(BackupManifest manifest, OutputStream out) throws IOException {
    ManifestWriter.write(manifest, out, false);
  }

  /**
   * The bytes {@link #write} writes, generated as they are read, a few hundred entries at a time: a
   * manifest of a million entries is 200 to 300 MB that need not be staged anywhere first. Each
   * call starts from the beginning.
   */
  public static InputStream stream(BackupManifest manifest) {
    return new ManifestStream(requireNonNull(manifest, "manifest is null"));
  }

  /** The oldest format version that can say everything {@code manifest} holds. */
  public static int requiredVersion(BackupManifest manifest) {
    return manifest.entries().stream().allMatch(e -> e.stored().isPlain()) ? 1 : 2;
  }

  /**
   * Reads and validates a manifest.
   *
   * @param name the manifest's key, for messages
   * @param maxObjects the most objects it may name
   * @throws ManifestException naming the manifest and what is wrong
   */
  public static BackupManifest read(InputStream in, String name, int maxObjects)
      throws IOException {
    return read(in, name, maxObjects, false, entry -> {});
  }

  /**
   * Reads and validates a manifest as {@link #read(InputStream, String, int)} does, passing each
   * entry to {@code parsed} as soon as it is parsed: a caller can start work on the first objects
   * while the rest are read. The manifest is validated only once it is read whole: if this throws,
   * the entries passed are not a backup's, and what was started from them is to be abandoned.
   */
  public static BackupManifest read(
      InputStream in, String name, int maxObjects, Consumer<ManifestEntry> parsed)
      throws IOException {
    requireNonNull(parsed, "parsed is null");
    return read(in, name, maxObjects, false, parsed);
  }

  /**
   * Reads a manifest's fields up to its objects, which {@link #write} puts last, and stops there:
   * the backup's id, time, product, nodes and source without reading (or holding) millions of
   * entries. The result has no entries.
   *
   * @throws ManifestException naming the manifest and what is wrong with its header
   */
  public static BackupManifest readHeader(InputStream in, String name) throws IOException {
    return read(in, name, 0, true, entry -> {});
  }

  private static BackupManifest read(
      InputStream in,
      String name,
      int maxObjects,
      boolean headerOnly,
      Consumer<ManifestEntry> parsed)
      throws IOException {
    requireNonNull(in, "in is null");
    requireNonNull(name, "name is null");
    JsonParser json = null;
    try (InputStream input = in) {
      json = JSON.createParser(input);
      json.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
      if (json.nextToken() != JsonToken.START_OBJECT) {
        throw new ManifestException(name, "not a JSON object", null);
      }
      Integer version = null;
      String backupId = null;
      Instant createdAt = null;
      String libraryVersion = null;
      Product product = null;
      List<NodeId> nodes = null;
      Optional<ClusterId> cluster = Optional.empty();
      OptionalLong pinned = OptionalLong.empty();
      String source = null;
      Map<String, String> options = ImmutableMap.of();
      Optional<List<SourceFinding>> sourceFindings = Optional.empty();
      List<ManifestEntry> entries = null;
      while ((entries == null || !headerOnly) && json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        JsonToken value = json.nextToken();
        switch (field) {
          case "formatVersion":
            if (value != JsonToken.VALUE_NUMBER_INT) {
              throw new ManifestException(name, "\"formatVersion\" is not an integer", null);
            }
            version = json.getValueAsInt(-1);
            if (version > CURRENT_VERSION) {
              throw new UnsupportedManifestVersionException(name, version);
            }
            break;
          case "backupId":
            backupId = HeaderFields.string(name, field, json);
            break;
          case "createdAt":
            createdAt = HeaderFields.instant(name, HeaderFields.string(name, field, json));
            break;
          case "libraryVersion":
            libraryVersion = HeaderFields.string(name, field, json);
            break;
          case "product":
            product = HeaderFields.product(name, HeaderFields.string(name, field, json));
            break;
          case "nodes":
            nodes = HeaderFields.nodeIds(name, json);
            break;
          case "cluster":
            cluster =
                value == JsonToken.VALUE_NULL
                    ? Optional.empty()
                    : Optional.of(
                        HeaderFields.clusterId(name, HeaderFields.string(name, field, json)));
            break;
          case "pinnedSnapshotSequence":
            pinned =
                value == JsonToken.VALUE_NULL
                    ? OptionalLong.empty()
                    : OptionalLong.of(Long.parseUnsignedLong(json.getText()));
            break;
          case "source":
            source = HeaderFields.string(name, field, json);
            break;
          case "options":
            options = HeaderFields.stringMap(name, field, json);
            break;
          case "sourceFindings":
            sourceFindings = Optional.of(SourceFinding.read(name, json));
            break;
          case "objects":
            if (value != JsonToken.START_ARRAY) {
              throw new ManifestException(name, "objects is not an array", null);
            }
            entries = new ArrayList<>();
            if (headerOnly) {
              break;
            }
            List<ManifestEntry> read = entries;
            long[] bytes = {0};
            json =
                EntryScanner.readObjects(
                    name,
                    json,
                    input,
                    entry -> {
                      if (read.size() >= maxObjects) {
                        throw new ManifestException(
                            name, "names more than " + maxObjects + " objects, the limit", null);
                      }
                      try {
                        bytes[0] = Math.addExact(bytes[0], entry.size());
                      } catch (ArithmeticException e) {
                        throw new ManifestException(
                            name, "the objects' sizes add up to more than 2^63-1 bytes", e);
                      }
                      read.add(entry);
                      parsed.accept(entry);
                    });
            break;
          default:
            json.skipChildren(); // fields of later minor additions are ignored
            break;
        }
      }
      if (version == null || version < 1) {
        throw new ManifestException(name, "missing or invalid formatVersion", null);
      }
      HeaderFields.require(name, "backupId", backupId);
      HeaderFields.require(name, "createdAt", createdAt);
      HeaderFields.require(name, "product", product);
      HeaderFields.require(name, "nodes", nodes);
      HeaderFields.require(name, "source", source);
      HeaderFields.require(name, "objects", entries);
      Set<KeyPrefix> prefixes = new HashSet<>();
      for (NodeId node : nodes) {
        prefixes.add(node.prefix());
      }
      cluster.ifPresent(id -> prefixes.add(id.prefix()));
      for (ManifestEntry entry : entries) {
        if (!underAny(entry.key(), prefixes)) {
          throw new ManifestException(
              name,
              "object " + entry.key() + " lies outside the backup's node and cluster prefixes",
              null);
        }
      }
      Optional<ObjectKey> repeated = RepeatedKeys.first(entries);
      if (repeated.isPresent()) {
        throw new ManifestException(name, "object " + repeated.get() + " is listed twice", null);
      }
      return new BackupManifest(
          version,
          backupId,
          createdAt,
          libraryVersion == null ? "unknown" : libraryVersion,
          product,
          nodes,
          cluster,
          pinned,
          source,
          options,
          sourceFindings,
          entries);
    } catch (JsonProcessingException e) {
      throw new ManifestException(name, "malformed JSON (" + e.getOriginalMessage() + ")", e);
    } catch (NumberFormatException e) {
      throw new ManifestException(name, "invalid number: " + e.getMessage(), e);
    } finally {
      if (json != null) {
        json.close();
      }
    }
  }

  /** A loop, not a stream: it runs once for each of millions of entries, mostly before the JIT. */
  private static boolean underAny(ObjectKey key, Set<KeyPrefix> prefixes) {
    for (KeyPrefix prefix : prefixes) {
      if (key.isUnder(prefix)) {
        return true;
      }
    }
    return false;
  }
}
