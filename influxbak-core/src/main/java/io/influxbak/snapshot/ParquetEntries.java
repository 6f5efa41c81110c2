package io.influxbak.snapshot;

import static io.influxbak.snapshot.StrictJson.first;
import static io.influxbak.snapshot.StrictJson.i64;
import static io.influxbak.snapshot.StrictJson.missing;
import static io.influxbak.snapshot.StrictJson.nextField;
import static io.influxbak.snapshot.StrictJson.text;
import static io.influxbak.snapshot.StrictJson.u64;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.NodeObject;
import io.influxbak.store.InvalidKeyException;
import io.influxbak.store.ObjectKey;
import java.io.IOException;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The Parquet file entries of snapshot files and table indexes: serde's {@code SerdeVecMap}s of
 * databases and tables read strictly (duplicate ids refused), and each {@code ParquetFile}'s path
 * held to a safe key under the node's {@code dbs/}.
 */
final class ParquetEntries {
  /** One Parquet file entry as written, before its database and table are known. */
  record RawFile(long id, ObjectKey path, long size, long minTime, long maxTime) {
    ParquetFileRef in(long database, long table) {
      return new ParquetFileRef(id, path, size, database, table, minTime, maxTime);
    }
  }

  private ParquetEntries() {}

  /**
   * A serde {@code SerdeVecMap<DbId, {tables: SerdeVecMap<TableId, [ParquetFile]>}>}: arrays of
   * [key, value]; each file goes to {@code sink} as it is parsed.
   */
  static void databases(
      NodeObject object, JsonParser json, String field, Consumer<ParquetFileRef> sink)
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
          first(key, member, tablesSeen);
          tables(object, json, database, sink);
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
  }

  private static void tables(
      NodeObject object, JsonParser json, long database, Consumer<ParquetFileRef> sink)
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
        sink.accept(parquet(object, json).in(database, table));
      }
      if (json.nextToken() != JsonToken.END_ARRAY) {
        throw new SnapshotFormatException(
            key, where + " holds a table entry that is not a [table id, files] pair", null);
      }
    }
  }

  /** A {@code ParquetFile} object; its path must be a safe key under the node's {@code dbs/}. */
  static RawFile parquet(NodeObject object, JsonParser json) throws IOException {
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
        case "path" -> pathText = text(key, json, field, pathText);
        case "id" -> id = u64(key, json, field, id);
        case "size_bytes" -> size = u64(key, json, field, size);
        case "min_time" -> minTime = i64(key, json, field, minTime);
        case "max_time" -> maxTime = i64(key, json, field, maxTime);
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
    // <node>/dbs/ checked in place: one prefix built per file named would cost more than the rest
    if (!path.toString().startsWith("dbs/", node.prefix().toString().length())) {
      throw new SnapshotFormatException(
          key,
          "Parquet path " + path + " lies outside " + node.prefix().resolvePrefix("dbs"),
          null);
    }
    return path;
  }
}
