package io.influxbak.snapshot;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.google.common.collect.ImmutableList;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.NodeObject;
import io.influxbak.layout.ObjectKind;
import io.influxbak.store.ExpectedContent;
import io.influxbak.store.HashingInputStream;
import io.influxbak.store.HashingInputStream.Hashes;
import io.influxbak.store.InvalidKeyException;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectReader;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

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

  private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(64)
                  .maxNumberLength(40)
                  .maxStringLength(1 << 20)
                  .build())
          // serde rejects a struct field given twice; so does this reader, rather than keep the
          // last one.
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
          .build();

  /** One Parquet file entry as written, before its database and table are known. */
  private record RawFile(long id, ObjectKey path, long size, long minTime, long maxTime) {
    ParquetFileRef in(long database, long table) {
      return new ParquetFileRef(id, path, size, database, table, minTime, maxTime);
    }
  }

  /**
   * Reads the body of one kind of file from a parser positioned on the opening brace of its object.
   */
  @FunctionalInterface
  private interface Body<T> {
    T parse(JsonParser json) throws IOException;
  }

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
    return readBounded(
        store,
        storeKey,
        object,
        ObjectKind.SNAPSHOT,
        size,
        maxBytes,
        json -> snapshot(object, json));
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
    return parseBytes(object.key(), bytes, json -> snapshot(object, json));
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

  private static SnapshotFile snapshot(NodeObject object, JsonParser json) throws IOException {
    ObjectKey key = object.key();
    Optional<String> version = Optional.empty();
    Optional<String> node = Optional.empty();
    OptionalLong sequence = OptionalLong.empty();
    OptionalLong wal = OptionalLong.empty();
    OptionalLong catalog = OptionalLong.empty();
    OptionalLong minTime = OptionalLong.empty();
    OptionalLong maxTime = OptionalLong.empty();
    List<ParquetFileRef> added = null;
    List<ParquetFileRef> removed = ImmutableList.of(); // absent in 3.0 and 3.1 stores
    for (String field = nextField(json); field != null; field = nextField(json)) {
      switch (field) {
        case "version" -> {
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
          String text = text(key, json, field);
          node = node.or(() -> Optional.of(text));
        }
        case "snapshot_sequence_number" -> sequence = OptionalLong.of(u64(key, json, field));
        case "wal_file_sequence_number" -> wal = OptionalLong.of(u64(key, json, field));
        case "catalog_sequence_number" -> catalog = OptionalLong.of(u64(key, json, field));
        case "min_time" -> minTime = OptionalLong.of(i64(key, json, field));
        case "max_time" -> maxTime = OptionalLong.of(i64(key, json, field));
        case "databases" -> added = databases(object, json, field);
        case "removed_files" ->
            removed =
                json.currentToken() == JsonToken.VALUE_NULL
                    ? ImmutableList.of()
                    : databases(object, json, field);
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
    if (added == null) {
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
        added,
        removed);
  }

  private static TableIndexFile index(NodeObject object, JsonParser json) throws IOException {
    ObjectKey key = object.key();
    OptionalLong database = OptionalLong.empty();
    OptionalLong table = OptionalLong.empty();
    OptionalLong latest = OptionalLong.empty();
    List<RawFile> files = null;
    for (String field = nextField(json); field != null; field = nextField(json)) {
      switch (field) {
        case "db_id" -> database = OptionalLong.of(u64(key, json, field));
        case "table_id" -> table = OptionalLong.of(u64(key, json, field));
        case "latest_snapshot_sequence_number" -> latest = OptionalLong.of(u64(key, json, field));
        case "files" -> {
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
    for (RawFile file : files) {
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
        last = OptionalLong.of(u64(object.key(), json, field));
      } else {
        json.skipChildren();
      }
    }
    return last.orElseThrow(() -> missing(object.key(), "last_sequence_number"));
  }

  /**
   * A serde {@code SerdeVecMap<DbId, {tables: SerdeVecMap<TableId, [ParquetFile]>}>}: arrays of
   * [key, value].
   */
  private static List<ParquetFileRef> databases(NodeObject object, JsonParser json, String field)
      throws IOException {
    ObjectKey key = object.key();
    if (json.currentToken() == JsonToken.START_OBJECT) {
      throw new SnapshotFormatException(
          key,
          "\"" + field + "\" keyed by name (the untagged pre-release form), not supported",
          null);
    }
    if (json.currentToken() != JsonToken.START_ARRAY) {
      throw new SnapshotFormatException(key, "no \"" + field + "\" array", null);
    }
    ImmutableList.Builder<ParquetFileRef> refs = ImmutableList.builder();
    Set<Long> databases = new HashSet<>();
    while (json.nextToken() != JsonToken.END_ARRAY) {
      if (json.currentToken() != JsonToken.START_ARRAY) {
        throw new SnapshotFormatException(
            key, "\"" + field + "\" holds an entry that is not a [database id, tables] pair", null);
      }
      json.nextToken();
      long database = u64(key, json, field + " database id");
      if (!databases.add(database)) {
        throw new SnapshotFormatException(
            key,
            "database " + Long.toUnsignedString(database) + " appears twice in \"" + field + "\"",
            null);
      }
      if (json.nextToken() != JsonToken.START_OBJECT) {
        throw new SnapshotFormatException(
            key, "\"" + field + "\" holds an entry that is not a [database id, tables] pair", null);
      }
      boolean tablesSeen = false;
      for (String member = nextField(json); member != null; member = nextField(json)) {
        if (member.equals("tables")) {
          tables(object, json, database, refs);
          tablesSeen = true;
        } else {
          json.skipChildren();
        }
      }
      if (!tablesSeen) {
        throw new SnapshotFormatException(
            key, "database " + Long.toUnsignedString(database) + " has no \"tables\" array", null);
      }
      if (json.nextToken() != JsonToken.END_ARRAY) {
        throw new SnapshotFormatException(
            key, "\"" + field + "\" holds an entry that is not a [database id, tables] pair", null);
      }
    }
    return refs.build();
  }

  private static void tables(
      NodeObject object, JsonParser json, long database, ImmutableList.Builder<ParquetFileRef> refs)
      throws IOException {
    ObjectKey key = object.key();
    String where = "database " + Long.toUnsignedString(database);
    if (json.currentToken() != JsonToken.START_ARRAY) {
      throw new SnapshotFormatException(key, where + " has no \"tables\" array", null);
    }
    Set<Long> tables = new HashSet<>();
    while (json.nextToken() != JsonToken.END_ARRAY) {
      if (json.currentToken() != JsonToken.START_ARRAY) {
        throw new SnapshotFormatException(
            key, where + " holds a table entry that is not a [table id, files] pair", null);
      }
      json.nextToken();
      long table = u64(key, json, "table id");
      if (!tables.add(table)) {
        throw new SnapshotFormatException(
            key, "table " + Long.toUnsignedString(table) + " appears twice in " + where, null);
      }
      if (json.nextToken() != JsonToken.START_ARRAY) {
        throw new SnapshotFormatException(
            key, where + " holds a table entry that is not a [table id, files] pair", null);
      }
      while (json.nextToken() != JsonToken.END_ARRAY) {
        refs.add(parquet(object, json).in(database, table));
      }
      if (json.nextToken() != JsonToken.END_ARRAY) {
        throw new SnapshotFormatException(
            key, where + " holds a table entry that is not a [table id, files] pair", null);
      }
    }
  }

  /** A {@code ParquetFile} object; its path must be a safe key under the node's {@code dbs/}. */
  private static RawFile parquet(NodeObject object, JsonParser json) throws IOException {
    ObjectKey key = object.key();
    if (json.currentToken() != JsonToken.START_OBJECT) {
      throw new SnapshotFormatException(key, "a Parquet file entry is not an object", null);
    }
    Optional<String> pathText = Optional.empty();
    OptionalLong id = OptionalLong.empty();
    OptionalLong size = OptionalLong.empty();
    OptionalLong minTime = OptionalLong.empty();
    OptionalLong maxTime = OptionalLong.empty();
    for (String field = nextField(json); field != null; field = nextField(json)) {
      switch (field) {
        case "path" -> pathText = Optional.of(text(key, json, field));
        case "id" -> id = OptionalLong.of(u64(key, json, field));
        case "size_bytes" -> size = OptionalLong.of(u64(key, json, field));
        case "min_time" -> minTime = OptionalLong.of(i64(key, json, field));
        case "max_time" -> maxTime = OptionalLong.of(i64(key, json, field));
        default -> json.skipChildren();
      }
    }
    ObjectKey path =
        parquetPath(key, object.node(), pathText.orElseThrow(() -> missing(key, "path")));
    long bytes = size.orElseThrow(() -> missing(key, "size_bytes"));
    if (bytes < 0) {
      // Legal for serde's u64, impossible for an object: no store holds 2^63 bytes.
      throw new SnapshotFormatException(
          key,
          "\"size_bytes\" of "
              + path
              + " is "
              + Long.toUnsignedString(bytes)
              + ", beyond any object",
          null);
    }
    return new RawFile(
        id.orElseThrow(() -> missing(key, "id")),
        path,
        bytes,
        minTime.orElseThrow(() -> missing(key, "min_time")),
        maxTime.orElseThrow(() -> missing(key, "max_time")));
  }

  /**
   * A Parquet path as a key: valid (no {@code ..}, no empty or control-character segments) and
   * under {@code <node>/dbs/}, so that a snapshot can never make a backup read or restore write
   * outside the node's data.
   */
  private static ObjectKey parquetPath(ObjectKey key, NodeId node, String text)
      throws SnapshotFormatException {
    ObjectKey path;
    try {
      path = ObjectKey.of(text);
    } catch (InvalidKeyException e) {
      throw new SnapshotFormatException(key, "unsafe Parquet path: " + e.getMessage(), e);
    }
    if (!path.isUnder(node.prefix())) {
      throw new SnapshotFormatException(
          key, "Parquet path " + path + " lies outside the node prefix " + node.prefix(), null);
    }
    KeyPrefix dbs = node.prefix().resolvePrefix("dbs");
    if (!path.isUnder(dbs)) {
      throw new SnapshotFormatException(key, "Parquet path " + path + " lies outside " + dbs, null);
    }
    return path;
  }

  /**
   * The next field name of the current object, with the parser moved onto its value; null at the
   * object's end.
   */
  private static String nextField(JsonParser json) throws IOException {
    if (json.nextToken() != JsonToken.FIELD_NAME) {
      return null;
    }
    String name = json.currentName();
    json.nextToken();
    return name;
  }

  private static String text(ObjectKey key, JsonParser json, String field) throws IOException {
    if (json.currentToken() != JsonToken.VALUE_STRING) {
      throw new SnapshotFormatException(key, "\"" + field + "\" is not a string", null);
    }
    return json.getText();
  }

  /** An unsigned 64-bit JSON integer, as a Java long holding the same bits. */
  private static long u64(ObjectKey key, JsonParser json, String field) throws IOException {
    if (json.currentToken() != JsonToken.VALUE_NUMBER_INT) {
      throw new SnapshotFormatException(key, "\"" + field + "\" is not an integer", null);
    }
    BigInteger number = json.getBigIntegerValue();
    if (number.signum() < 0 || number.compareTo(U64_MAX) > 0) {
      throw new SnapshotFormatException(
          key, "\"" + field + "\" is out of the unsigned 64-bit range: " + number, null);
    }
    return number.longValue();
  }

  private static long i64(ObjectKey key, JsonParser json, String field) throws IOException {
    if (json.currentToken() != JsonToken.VALUE_NUMBER_INT
        || json.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw new SnapshotFormatException(key, "\"" + field + "\" is not a 64-bit integer", null);
    }
    return json.getLongValue();
  }

  private static SnapshotFormatException missing(ObjectKey key, String field) {
    return new SnapshotFormatException(key, "missing required field \"" + field + "\"", null);
  }

  private static void checkKind(NodeObject object, ObjectKind kind) throws SnapshotFormatException {
    requireNonNull(object, "object is null");
    if (object.kind() != kind) {
      throw new SnapshotFormatException(
          object.key(), "not a " + kind + " file (" + object.kind() + ")", null);
    }
  }

  private static <T> T parseBytes(ObjectKey key, byte[] bytes, Body<T> body)
      throws SnapshotFormatException {
    try {
      return parse(key, JSON.createParser(bytes), body);
    } catch (SnapshotFormatException e) {
      throw e;
    } catch (IOException e) {
      throw new AssertionError("reading bytes in memory cannot fail", e);
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
      Body<T> body)
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
      return parse(object.key(), JSON.createParser(in), body);
    }
  }

  private static <T> T parse(ObjectKey key, JsonParser json, Body<T> body) throws IOException {
    try (json) {
      JsonToken first = json.nextToken();
      if (first == null) {
        throw new SnapshotFormatException(key, "empty file", null);
      }
      if (first != JsonToken.START_OBJECT) {
        throw new SnapshotFormatException(key, "not a JSON object", null);
      }
      T value = body.parse(json);
      if (json.nextToken() != null) {
        throw new SnapshotFormatException(key, "data after the JSON object", null);
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new SnapshotFormatException(
          key, "bad or truncated JSON (" + e.getOriginalMessage() + ")", e);
    }
  }
}
