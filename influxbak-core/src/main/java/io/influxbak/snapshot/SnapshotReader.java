package io.influxbak.snapshot;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableList;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.NodeObject;
import io.influxbak.layout.ObjectKind;
import io.influxbak.store.InvalidKeyException;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.transfer.ExpectedContent;
import io.influxbak.transfer.HashingInputStream;
import io.influxbak.transfer.HashingInputStream.Hashes;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * Parses snapshot files and table indexes strictly. Unknown fields are ignored; anything else wrong is a
 * {@link SnapshotFormatException} naming the file and the reason. Files larger than {@link #MAX_FILE_BYTES}
 * are refused rather than read.
 */
public final class SnapshotReader {
  /** The largest snapshot or index file read: 256 MiB. */
  public static final long MAX_FILE_BYTES = 256L << 20;

  private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
  private static final ObjectMapper JSON =
      new ObjectMapper(
          JsonFactory.builder()
              .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxNumberLength(40).build())
              .build());

  private SnapshotReader() {}

  /**
   * Reads and parses the snapshot file {@code object}, stored at {@code storeKey} in {@code store} with
   * {@code size} bytes. A read cut short fails with a (transient) {@link
   * io.influxbak.transfer.ContentMismatchException}, not as malformed JSON.
   */
  public static SnapshotFile read(ObjectStore store, ObjectKey storeKey, NodeObject object, long size) throws IOException {
    return parseSnapshot(object, readBounded(store, storeKey, object.key(), size));
  }

  /** Reads and parses the table index {@code object}, as {@link #read} does. */
  public static TableIndexFile readIndex(ObjectStore store, ObjectKey storeKey, NodeObject object, long size) throws IOException {
    return parseIndex(object, readBounded(store, storeKey, object.key(), size));
  }

  /**
   * Parses a snapshot file.
   *
   * @param object the classified snapshot object (its name gives the sequence the body must repeat)
   */
  public static SnapshotFile parseSnapshot(NodeObject object, byte[] bytes) throws SnapshotFormatException {
    requireNonNull(object, "object is null");
    ObjectKey key = object.key();
    if (object.kind() != ObjectKind.SNAPSHOT) {
      throw new SnapshotFormatException(key, "not a snapshot file (" + object.kind() + ")", null);
    }
    JsonNode root = tree(key, bytes);
    JsonNode version = root.get("version");
    if (version == null) {
      throw new SnapshotFormatException(key, "no \"version\" tag: an untagged pre-release snapshot form, not supported", null);
    }
    if (!version.isTextual() || !version.asText().equals("1")) {
      throw new SnapshotFormatException(key, "unknown snapshot version " + version, null);
    }
    String node = firstText(key, root, "node_id", "writer_id", "host_id");
    long sequence = u64(key, root, "snapshot_sequence_number");
    if (object.sequence().isPresent() && object.sequence().getAsLong() != sequence) {
      throw new SnapshotFormatException(
          key,
          "its name says sequence " + Long.toUnsignedString(object.sequence().getAsLong()) + ", its body " + Long.toUnsignedString(sequence),
          null);
    }
    List<ParquetFileRef> added = files(key, object.node(), root.get("databases"), "databases", true);
    JsonNode removedNode = root.get("removed_files");
    List<ParquetFileRef> removed =
        removedNode == null || removedNode.isNull() ? ImmutableList.of() : files(key, object.node(), removedNode, "removed_files", true);
    return new SnapshotFile(
        key, node, sequence, u64(key, root, "wal_file_sequence_number"), u64(key, root, "catalog_sequence_number"),
        i64(key, root, "min_time"), i64(key, root, "max_time"), added, removed);
  }

  /** Parses a table index. */
  public static TableIndexFile parseIndex(NodeObject object, byte[] bytes) throws SnapshotFormatException {
    requireNonNull(object, "object is null");
    ObjectKey key = object.key();
    JsonNode root = tree(key, bytes);
    long database = u64(key, root, "db_id");
    long table = u64(key, root, "table_id");
    JsonNode files = root.get("files");
    if (files == null || !files.isArray()) {
      throw new SnapshotFormatException(key, "no \"files\" array", null);
    }
    ImmutableList.Builder<ParquetFileRef> refs = ImmutableList.builder();
    for (JsonNode file : files) {
      refs.add(parquet(key, object.node(), file, database, table));
    }
    return new TableIndexFile(key, database, table, u64(key, root, "latest_snapshot_sequence_number"), refs.build());
  }

  /** A serde {@code SerdeVecMap<DbId, {tables: SerdeVecMap<TableId, [ParquetFile]>}>}: arrays of [key, value]. */
  private static List<ParquetFileRef> files(ObjectKey key, NodeId node, JsonNode databases, String field, boolean required)
      throws SnapshotFormatException {
    if (databases == null || !databases.isArray()) {
      if (databases != null && databases.isObject()) {
        throw new SnapshotFormatException(key, "\"" + field + "\" keyed by name (a pre-release form), not supported", null);
      }
      throw new SnapshotFormatException(key, "no \"" + field + "\" array", null);
    }
    ImmutableList.Builder<ParquetFileRef> refs = ImmutableList.builder();
    java.util.Set<Long> seenDatabases = new java.util.HashSet<>();
    for (JsonNode pair : databases) {
      if (!pair.isArray() || pair.size() != 2) {
        throw new SnapshotFormatException(key, "\"" + field + "\" holds an entry that is not a [database id, tables] pair", null);
      }
      long database = u64Value(key, pair.get(0), field + " database id");
      if (!seenDatabases.add(database)) {
        throw new SnapshotFormatException(key, "database " + database + " appears twice in \"" + field + "\"", null);
      }
      JsonNode tables = pair.get(1).get("tables");
      if (tables == null || !tables.isArray()) {
        throw new SnapshotFormatException(key, "database " + database + " has no \"tables\" array", null);
      }
      java.util.Set<Long> seenTables = new java.util.HashSet<>();
      for (JsonNode tablePair : tables) {
        if (!tablePair.isArray() || tablePair.size() != 2 || !tablePair.get(1).isArray()) {
          throw new SnapshotFormatException(key, "database " + database + " holds a table entry that is not a [table id, files] pair", null);
        }
        long table = u64Value(key, tablePair.get(0), "table id");
        if (!seenTables.add(table)) {
          throw new SnapshotFormatException(key, "table " + table + " appears twice in database " + database, null);
        }
        for (JsonNode file : tablePair.get(1)) {
          refs.add(parquet(key, node, file, database, table));
        }
      }
    }
    return refs.build();
  }

  private static ParquetFileRef parquet(ObjectKey key, NodeId node, JsonNode file, long database, long table) throws SnapshotFormatException {
    if (!file.isObject()) {
      throw new SnapshotFormatException(key, "a Parquet file entry is not an object", null);
    }
    String pathText = firstText(key, file, "path");
    ObjectKey path;
    try {
      path = ObjectKey.of(pathText);
    } catch (InvalidKeyException e) {
      throw new SnapshotFormatException(key, "unsafe Parquet path: " + e.getMessage(), e);
    }
    if (!path.isUnder(node.prefix())) {
      throw new SnapshotFormatException(key, "Parquet path " + path + " lies outside the node prefix " + node.prefix(), null);
    }
    return new ParquetFileRef(u64(key, file, "id"), path, u64(key, file, "size_bytes"), database, table, i64(key, file, "min_time"), i64(key, file, "max_time"));
  }

  private static JsonNode tree(ObjectKey key, byte[] bytes) throws SnapshotFormatException {
    if (bytes.length == 0) {
      throw new SnapshotFormatException(key, "empty file", null);
    }
    try {
      JsonNode root = JSON.readTree(bytes);
      if (root == null || !root.isObject()) {
        throw new SnapshotFormatException(key, "not a JSON object", null);
      }
      return root;
    } catch (JsonProcessingException e) {
      throw new SnapshotFormatException(key, "bad or truncated JSON (" + e.getOriginalMessage() + ")", e);
    } catch (IOException e) {
      throw new SnapshotFormatException(key, "unreadable JSON (" + e.getMessage() + ")", e);
    }
  }

  private static String firstText(ObjectKey key, JsonNode node, String... fields) throws SnapshotFormatException {
    for (String field : fields) {
      JsonNode value = node.get(field);
      if (value != null && value.isTextual()) {
        return value.asText();
      }
    }
    throw new SnapshotFormatException(key, "missing required field \"" + fields[0] + "\"", null);
  }

  private static long u64(ObjectKey key, JsonNode node, String field) throws SnapshotFormatException {
    JsonNode value = node.get(field);
    if (value == null) {
      throw new SnapshotFormatException(key, "missing required field \"" + field + "\"", null);
    }
    return u64Value(key, value, field);
  }

  /** An unsigned 64-bit JSON integer, as a Java long holding the same bits. */
  private static long u64Value(ObjectKey key, JsonNode value, String field) throws SnapshotFormatException {
    if (value == null || !value.isIntegralNumber()) {
      throw new SnapshotFormatException(key, "\"" + field + "\" is not an integer", null);
    }
    BigInteger number = value.bigIntegerValue();
    if (number.signum() < 0 || number.compareTo(U64_MAX) > 0) {
      throw new SnapshotFormatException(key, "\"" + field + "\" is out of the unsigned 64-bit range: " + number, null);
    }
    return number.longValue();
  }

  private static long i64(ObjectKey key, JsonNode node, String field) throws SnapshotFormatException {
    JsonNode value = node.get(field);
    if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new SnapshotFormatException(key, "\"" + field + "\" is missing or not a 64-bit integer", null);
    }
    return value.asLong();
  }

  private static byte[] readBounded(ObjectStore store, ObjectKey storeKey, ObjectKey nodeKey, long size) throws IOException {
    if (size > MAX_FILE_BYTES) {
      throw new SnapshotFormatException(nodeKey, "larger than " + MAX_FILE_BYTES + " bytes (" + size + "), refused", null);
    }
    try (InputStream in = new HashingInputStream(store.open(storeKey), storeKey, Hashes.CRC32C, Optional.of(ExpectedContent.ofSize(size)))) {
      return in.readAllBytes();
    }
  }
}
