package io.influxbak.snapshot;

import static io.influxbak.snapshot.ParquetEntries.databases;
import static io.influxbak.snapshot.ParquetEntries.parquet;
import static io.influxbak.snapshot.StrictJson.first;
import static io.influxbak.snapshot.StrictJson.i64;
import static io.influxbak.snapshot.StrictJson.missing;
import static io.influxbak.snapshot.StrictJson.nextField;
import static io.influxbak.snapshot.StrictJson.parseBytes;
import static io.influxbak.snapshot.StrictJson.text;
import static io.influxbak.snapshot.StrictJson.u64;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.common.collect.ImmutableList;
import io.influxbak.layout.NodeObject;
import io.influxbak.layout.ObjectKind;
import io.influxbak.store.ExpectedContent;
import io.influxbak.store.HashingInputStream;
import io.influxbak.store.HashingInputStream.Hashes;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Parses snapshot files, table indexes and the table-index conversion marker strictly, as a stream:
 * memory grows with the Parquet files a file names, never with a tree of its JSON, and files larger
 * than a limit ({@link #MAX_FILE_BYTES} unless given) are refused before a byte is read. Unknown
 * fields are ignored; anything else wrong is a {@link SnapshotFormatException} naming the file and
 * the reason: an empty, cut short or malformed file, duplicate keys, a missing required field, a
 * number that is not an integer or lies outside its range (sequence numbers, ids and sizes are
 * unsigned 64-bit, times signed 64-bit), a sequence that disagrees with the file name, a Parquet
 * path that is not a safe key under the node's {@code dbs/}, or the untagged, name-keyed
 * pre-release form.
 */
public final class SnapshotReader {
  /** The default largest snapshot, index or marker file read: 256 MiB. */
  public static final long MAX_FILE_BYTES = 256L << 20;

  private SnapshotReader() {}

  /**
   * Reads and parses the snapshot file {@code object}, stored at {@code storeKey} in {@code store}
   * with {@code size} bytes, refusing it if it is larger than {@link #MAX_FILE_BYTES}. A read cut
   * short fails with a (transient) {@link io.influxbak.store.ContentMismatchException}, not as
   * malformed JSON.
   */
  public static SnapshotFile read(
      ObjectReader store, ObjectKey storeKey, NodeObject object, long size) throws IOException {
    return read(store, storeKey, object, size, MAX_FILE_BYTES);
  }

  /**
   * Reads and parses the snapshot file {@code object}, as {@link #read(ObjectReader, ObjectKey,
   * NodeObject, long)} does, up to {@code maxBytes}.
   */
  public static SnapshotFile read(
      ObjectReader store, ObjectKey storeKey, NodeObject object, long size, long maxBytes)
      throws IOException {
    Collected entries = new Collected();
    return entries.into(readSnapshot(store, storeKey, object, size, maxBytes, entries));
  }

  /**
   * Reads and parses the snapshot file {@code object} as {@link #read(ObjectReader, ObjectKey,
   * NodeObject, long)} does, passing each Parquet entry to {@code entries} as it is parsed instead
   * of holding it: what a caller folding a million entries needs. The file returned has empty
   * {@code added} and {@code removed} lists. If the read fails part-way, {@code entries} has seen
   * some of the file's entries: a caller that retries sees them again.
   */
  public static SnapshotFile read(
      ObjectReader store, ObjectKey storeKey, NodeObject object, long size, SnapshotEntries entries)
      throws IOException {
    requireNonNull(entries, "entries is null");
    return readSnapshot(store, storeKey, object, size, MAX_FILE_BYTES, entries);
  }

  private static SnapshotFile readSnapshot(
      ObjectReader store,
      ObjectKey storeKey,
      NodeObject object,
      long size,
      long maxBytes,
      SnapshotEntries entries)
      throws IOException {
    return readBounded(
        store,
        storeKey,
        object,
        ObjectKind.SNAPSHOT,
        size,
        maxBytes,
        json -> snapshot(object, json, entries));
  }

  /**
   * Reads and parses the table index {@code object}, as {@link #read(ObjectReader, ObjectKey,
   * NodeObject, long)} does.
   */
  public static TableIndexFile readIndex(
      ObjectReader store, ObjectKey storeKey, NodeObject object, long size) throws IOException {
    return readIndex(store, storeKey, object, size, MAX_FILE_BYTES);
  }

  /**
   * Reads and parses the table index {@code object}, as {@link #read(ObjectReader, ObjectKey,
   * NodeObject, long)} does, up to {@code maxBytes}.
   */
  public static TableIndexFile readIndex(
      ObjectReader store, ObjectKey storeKey, NodeObject object, long size, long maxBytes)
      throws IOException {
    return readBounded(
        store,
        storeKey,
        object,
        ObjectKind.TABLE_INDEX,
        size,
        maxBytes,
        json -> index(object, json));
  }

  /**
   * Reads and parses the table-index conversion marker {@code object}, as {@link
   * #read(ObjectReader, ObjectKey, NodeObject, long)} does.
   */
  public static long readConversionMarker(
      ObjectReader store, ObjectKey storeKey, NodeObject object, long size) throws IOException {
    return readBounded(
        store,
        storeKey,
        object,
        ObjectKind.TABLE_INDEX_CONVERSION_MARKER,
        size,
        MAX_FILE_BYTES,
        json -> marker(object, json));
  }

  /**
   * Parses a snapshot file.
   *
   * @param object the classified snapshot object (its name gives the sequence the body must repeat)
   */
  public static SnapshotFile parseSnapshot(NodeObject object, byte[] bytes)
      throws SnapshotFormatException {
    requireNonNull(bytes, "bytes is null");
    checkKind(object, ObjectKind.SNAPSHOT);
    Collected entries = new Collected();
    return entries.into(parseBytes(object.key(), bytes, json -> snapshot(object, json, entries)));
  }

  /** Parses a table index ({@code db-indices/<db>/<table>/index.info.json}). */
  public static TableIndexFile parseIndex(NodeObject object, byte[] bytes)
      throws SnapshotFormatException {
    requireNonNull(bytes, "bytes is null");
    checkKind(object, ObjectKind.TABLE_INDEX);
    return parseBytes(object.key(), bytes, json -> index(object, json));
  }

  /**
   * Parses the table-index conversion marker ({@code {"last_sequence_number": N}}, 3.3+): the
   * newest snapshot the server has split into table snapshots.
   */
  public static long parseConversionMarker(NodeObject object, byte[] bytes)
      throws SnapshotFormatException {
    requireNonNull(bytes, "bytes is null");
    checkKind(object, ObjectKind.TABLE_INDEX_CONVERSION_MARKER);
    return parseBytes(object.key(), bytes, json -> marker(object, json));
  }

  /** A snapshot file's entries held, to be put in its lists. */
  private static final class Collected implements SnapshotEntries {
    private final ImmutableList.Builder<ParquetFileRef> added = ImmutableList.builder();
    private final ImmutableList.Builder<ParquetFileRef> removed = ImmutableList.builder();

    @Override
    public void added(ParquetFileRef file) {
      added.add(file);
    }

    @Override
    public void removed(ParquetFileRef file) {
      removed.add(file);
    }

    /** {@code header} (read with this as its entries) with the entries in its lists. */
    SnapshotFile into(SnapshotFile header) {
      return new SnapshotFile(
          header.key(),
          header.nodeId(),
          header.snapshotSequence(),
          header.walFileSequence(),
          header.catalogSequence(),
          header.minTime(),
          header.maxTime(),
          added.build(),
          removed.build());
    }
  }

  /** A snapshot file with empty lists, its entries passed to {@code entries}. */
  private static SnapshotFile snapshot(NodeObject object, JsonParser json, SnapshotEntries entries)
      throws IOException {
    ObjectKey key = object.key();
    Optional<String> version = Optional.empty();
    Optional<String> node = Optional.empty();
    OptionalLong sequence = OptionalLong.empty();
    OptionalLong wal = OptionalLong.empty();
    OptionalLong catalog = OptionalLong.empty();
    OptionalLong minTime = OptionalLong.empty();
    OptionalLong maxTime = OptionalLong.empty();
    boolean databases = false; // "removed_files" is absent in 3.0 and 3.1 stores
    boolean removed = false;
    int nodeNames = 0; // bits of node_id, writer_id and host_id: each name once
    for (String field = nextField(json); field != null; field = nextField(json)) {
      switch (field) {
        case "version" -> {
          first(key, field, version.isPresent());
          if (json.currentToken() != JsonToken.VALUE_STRING || !json.getText().equals("1")) {
            throw new SnapshotFormatException(
                key,
                "unknown snapshot version "
                    + (json.currentToken() == JsonToken.VALUE_STRING
                        ? "\"" + json.getText() + "\""
                        : json.currentToken()),
                null);
          }
          version = Optional.of(json.getText());
        }
        case "node_id", "writer_id", "host_id" -> {
          // 3.0 betas wrote host_id, later builds writer_id, current ones node_id: whichever is
          // there.
          int name = field.equals("node_id") ? 1 : field.equals("writer_id") ? 2 : 4;
          first(key, field, (nodeNames & name) != 0);
          nodeNames |= name;
          String text = text(key, json, field);
          node = node.or(() -> Optional.of(text));
        }
        case "snapshot_sequence_number" -> sequence = u64(key, json, field, sequence);
        case "wal_file_sequence_number" -> wal = u64(key, json, field, wal);
        case "catalog_sequence_number" -> catalog = u64(key, json, field, catalog);
        case "min_time" -> minTime = i64(key, json, field, minTime);
        case "max_time" -> maxTime = i64(key, json, field, maxTime);
        case "databases" -> {
          first(key, field, databases);
          databases(object, json, field, entries::added);
          databases = true;
        }
        case "removed_files" -> {
          first(key, field, removed);
          removed = true;
          if (json.currentToken() != JsonToken.VALUE_NULL) {
            databases(object, json, field, entries::removed);
          }
        }
        default -> json.skipChildren();
      }
    }
    if (version.isEmpty()) {
      throw new SnapshotFormatException(
          key, "no \"version\" tag: an untagged pre-release snapshot form, not supported", null);
    }
    String nodeId = node.orElseThrow(() -> missing(key, "node_id"));
    long snapshotSequence = sequence.orElseThrow(() -> missing(key, "snapshot_sequence_number"));
    if (object.sequence().isPresent() && object.sequence().getAsLong() != snapshotSequence) {
      throw new SnapshotFormatException(
          key,
          "its name says sequence "
              + Long.toUnsignedString(object.sequence().getAsLong())
              + ", its body "
              + Long.toUnsignedString(snapshotSequence),
          null);
    }
    if (!databases) {
      throw new SnapshotFormatException(key, "no \"databases\" array", null);
    }
    return new SnapshotFile(
        key,
        nodeId,
        snapshotSequence,
        wal.orElseThrow(() -> missing(key, "wal_file_sequence_number")),
        catalog.orElseThrow(() -> missing(key, "catalog_sequence_number")),
        minTime.orElseThrow(() -> missing(key, "min_time")),
        maxTime.orElseThrow(() -> missing(key, "max_time")),
        ImmutableList.of(),
        ImmutableList.of());
  }

  private static TableIndexFile index(NodeObject object, JsonParser json) throws IOException {
    ObjectKey key = object.key();
    OptionalLong database = OptionalLong.empty();
    OptionalLong table = OptionalLong.empty();
    OptionalLong latest = OptionalLong.empty();
    List<ParquetEntries.RawFile> files = null;
    for (String field = nextField(json); field != null; field = nextField(json)) {
      switch (field) {
        case "db_id" -> database = u64(key, json, field, database);
        case "table_id" -> table = u64(key, json, field, table);
        case "latest_snapshot_sequence_number" -> latest = u64(key, json, field, latest);
        case "files" -> {
          first(key, field, files != null);
          if (json.currentToken() != JsonToken.START_ARRAY) {
            throw new SnapshotFormatException(key, "no \"files\" array", null);
          }
          files = new ArrayList<>();
          while (json.nextToken() != JsonToken.END_ARRAY) {
            files.add(parquet(object, json));
          }
        }
        default -> json.skipChildren();
      }
    }
    long databaseId = database.orElseThrow(() -> missing(key, "db_id"));
    long tableId = table.orElseThrow(() -> missing(key, "table_id"));
    if (files == null) {
      throw new SnapshotFormatException(key, "no \"files\" array", null);
    }
    ImmutableList.Builder<ParquetFileRef> refs = ImmutableList.builder();
    for (ParquetEntries.RawFile file : files) {
      refs.add(file.in(databaseId, tableId));
    }
    return new TableIndexFile(
        key,
        databaseId,
        tableId,
        latest.orElseThrow(() -> missing(key, "latest_snapshot_sequence_number")),
        refs.build());
  }

  private static long marker(NodeObject object, JsonParser json) throws IOException {
    OptionalLong last = OptionalLong.empty();
    for (String field = nextField(json); field != null; field = nextField(json)) {
      if (field.equals("last_sequence_number")) {
        last = u64(object.key(), json, field, last);
      } else {
        json.skipChildren();
      }
    }
    return last.orElseThrow(() -> missing(object.key(), "last_sequence_number"));
  }

  private static void checkKind(NodeObject object, ObjectKind kind) throws SnapshotFormatException {
    requireNonNull(object, "object is null");
    if (object.kind() != kind) {
      throw new SnapshotFormatException(
          object.key(), "not a " + kind + " file (" + object.kind() + ")", null);
    }
  }

  /**
   * Streams the object through a parser, checked against {@code size} so that a read cut short is
   * told apart from malformed JSON; store failures pass through as they are.
   */
  private static <T> T readBounded(
      ObjectReader store,
      ObjectKey storeKey,
      NodeObject object,
      ObjectKind kind,
      long size,
      long maxBytes,
      StrictJson.Body<T> body)
      throws IOException {
    requireNonNull(store, "store is null");
    requireNonNull(storeKey, "storeKey is null");
    checkKind(object, kind);
    if (size > maxBytes) {
      throw new SnapshotFormatException(
          object.key(), "larger than " + maxBytes + " bytes (" + size + "), refused", null);
    }
    try (InputStream in =
        new HashingInputStream(
            store.open(storeKey),
            storeKey,
            Hashes.CRC32C,
            Optional.of(ExpectedContent.ofSize(size)))) {
      // The parser reads to the end of the stream to see that nothing follows the object, so the
      // size check runs.
      return StrictJson.parse(object.key(), in, body);
    }
  }
}
