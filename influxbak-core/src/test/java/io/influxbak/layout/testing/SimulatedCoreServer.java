package io.influxbak.layout.testing;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.SequenceNumbers;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.WriteMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A simulated InfluxDB 3 Core server writing into a store, one object operation at a time, with the
 * real naming, JSON and framing and the order in which the real server does things (format facts,
 * "What the server does with them"):
 *
 * <ul>
 *   <li>{@link Step#WRITE}: sometimes a catalog change (a new catalog log), then a WAL flush;
 *   <li>{@link Step#SNAPSHOT}: the Parquet files of the unpersisted WAL, then the snapshot file
 *       naming them (sometimes also removing an older file, as a hard delete does), then the
 *       removed files' objects deleted;
 *   <li>{@link Step#DELETE_SNAPSHOTTED_WAL}: snapshotted WAL files deleted, keeping the newest two;
 *   <li>{@link Step#SPLIT_SNAPSHOTS}: snapshots newer than the conversion marker split into table
 *       snapshots, then the marker rewritten;
 *   <li>{@link Step#MERGE_INDEXES}: every table's pending table snapshots merged into its index
 *       (rewritten in place), then the merged table snapshots deleted;
 *   <li>{@link Step#RETENTION}: the oldest file of an indexed table deleted, then its index
 *       rewritten without it (no snapshot records this);
 *   <li>{@link Step#CATALOG_CHECKPOINT}: the catalog checkpoint or snapshot rewritten in place at
 *       the current sequence.
 * </ul>
 *
 * <p>{@link #queue} takes whole steps; {@link #tick} performs the next single object operation, so
 * a scheduler can let a backup run between any two of them. The server knows, at every moment,
 * which Parquet files it would query ({@link #liveParquetUpTo}).
 */
public final class SimulatedCoreServer {
  /** What the server does; each step is one or more object operations. */
  public enum Step {
    /** Sometimes a catalog log, then a WAL file. */
    WRITE,
    /**
     * Parquet files, the snapshot naming them, then the objects of the files it removed deleted.
     */
    SNAPSHOT,
    /** Snapshotted WAL files deleted but the newest two. */
    DELETE_SNAPSHOTTED_WAL,
    /**
     * Snapshots above the conversion marker split into table snapshots, then the marker rewritten.
     */
    SPLIT_SNAPSHOTS,
    /** Pending table snapshots merged into their indexes (rewritten), then deleted. */
    MERGE_INDEXES,
    /** The oldest file of an indexed table deleted, then its index rewritten without it. */
    RETENTION,
    /** The catalog checkpoint or snapshot rewritten at the current sequence. */
    CATALOG_CHECKPOINT
  }

  /** One object operation. */
  @FunctionalInterface
  private interface Operation {
    void run() throws IOException;
  }

  /** A Parquet file the server wrote. */
  private record ParquetFile(
      long id, ObjectKey key, int size, int table, long snapshot, long minTime, long maxTime) {}

  /** What one snapshot recorded for one table. */
  private record TableDelta(List<ParquetFile> added, List<ParquetFile> removed) {}

  /** A table index: the snapshot it has absorbed and the table's files by id. */
  private record Index(long latestSnapshot, TreeMap<Long, ParquetFile> files) {}

  private static final int TABLES = 2;
  private static final int SNAPSHOTTED_WAL_TO_KEEP = 2;
  private static final long BASE_TIME = 1_795_000_000_000_000_000L;

  private final ObjectStore store;
  private final NodeId node;
  private final CatalogGeneration catalog;
  private final UUID catalogUuid;
  private final Random random;
  private final Deque<Step> steps = new ArrayDeque<>();
  private final Deque<Operation> operations = new ArrayDeque<>();

  // The server's own state, ahead of the store by at most the operations still queued.
  private final TreeMap<ObjectKey, ParquetFile> live = new TreeMap<>();
  private final TreeMap<Long, Map<Integer, TableDelta>> snapshots = new TreeMap<>();
  private final TreeMap<Integer, Index> indexes = new TreeMap<>();
  private final TreeMap<Integer, TreeMap<Long, TableDelta>> pendingTableSnapshots = new TreeMap<>();
  private long wal;
  private long persistedWal;
  private long deletedWalUpTo;
  private long snapshot;
  private long splitUpTo;
  private long catalogSequence;
  private long fileId;

  /**
   * A server for {@code node} with a catalog of generation {@code catalog} (checkpoint at 0, log
   * 1), one WAL file and one snapshot already written.
   */
  public SimulatedCoreServer(ObjectStore store, NodeId node, CatalogGeneration catalog, long seed)
      throws IOException {
    this.store = requireNonNull(store, "store is null");
    this.node = requireNonNull(node, "node is null");
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.random = new Random(seed);
    this.catalogUuid = new UUID(random.nextLong(), random.nextLong());
    put(checkpointKey(), catalogFile(true, 0));
    catalogSequence = 1;
    put(logKey(1), catalogFile(false, 1));
    queue(ImmutableList.of(Step.WRITE, Step.SNAPSHOT));
    drain();
  }

  /** Queues whole steps after those already queued. */
  public void queue(List<Step> more) {
    steps.addAll(more);
  }

  /** Performs the next object operation; false when the server has nothing left to do. */
  public boolean tick() throws IOException {
    while (operations.isEmpty() && !steps.isEmpty()) {
      plan(steps.poll());
    }
    Operation next = operations.poll();
    if (next == null) {
      return false;
    }
    next.run();
    return true;
  }

  /** Performs every queued operation. */
  public void drain() throws IOException {
    while (tick()) {
      // one operation at a time, as a scheduler would
    }
  }

  /**
   * The Parquet files the server queries now that snapshots up to {@code snapshotSequence} added,
   * with their sizes: the snapshots folded, with retention applied through the indexes.
   */
  public Map<ObjectKey, Integer> liveParquetUpTo(long snapshotSequence) {
    Map<ObjectKey, Integer> sizes = new TreeMap<>();
    live.values().stream()
        .filter(f -> f.snapshot() <= snapshotSequence)
        .forEach(f -> sizes.put(f.key(), f.size()));
    return sizes;
  }

  /** The newest snapshot written so far (its operations may still be queued). */
  public long snapshotSequence() {
    return snapshot;
  }

  /** The node. */
  public NodeId node() {
    return node;
  }

  /** The snapshot key of sequence {@code n}. */
  public ObjectKey snapshotKey(long n) {
    return key("snapshots/" + SequenceNumbers.invertedName(n) + ".info.json");
  }

  /** The WAL key of sequence {@code n}. */
  public ObjectKey walKey(long n) {
    return key("wal/" + SequenceNumbers.padded(n, 11) + ".wal");
  }

  private void plan(Step step) {
    switch (step) {
      case WRITE -> planWrite();
      case SNAPSHOT -> planSnapshot();
      case DELETE_SNAPSHOTTED_WAL -> planWalCleanup();
      case SPLIT_SNAPSHOTS -> planSplit();
      case MERGE_INDEXES -> planMerge();
      case RETENTION -> planRetention();
      case CATALOG_CHECKPOINT -> {
        long sequence = catalogSequence;
        operations.add(() -> put(checkpointKey(), catalogFile(true, sequence)));
      }
    }
  }

  private void planWrite() {
    if (random.nextInt(3) == 0) {
      long sequence =
          ++catalogSequence; // the catalog change a WAL batch depends on is logged first
      operations.add(() -> put(logKey(sequence), catalogFile(false, sequence)));
    }
    long sequence = ++wal;
    byte[] payload =
        ("batch " + sequence + " catalog " + catalogSequence).getBytes(StandardCharsets.UTF_8);
    operations.add(() -> put(walKey(sequence), InfluxFiles.wal(payload)));
  }

  private void planSnapshot() {
    if (wal <= persistedWal) {
      return; // nothing to persist: empty snapshots are not written
    }
    long sequence = ++snapshot;
    Map<Integer, TableDelta> deltas = new TreeMap<>();
    for (int table = 0; table < TABLES; table++) {
      if (table == 0 || random.nextBoolean()) {
        long minTime = BASE_TIME + sequence * 60_000_000_000L;
        ObjectKey key =
            key(
                String.format(
                    "dbs/0/%d/2026-11-25/%02d-%02d/%s.parquet",
                    table, 10 + sequence / 60, sequence % 60, SequenceNumbers.padded(wal, 10)));
        ParquetFile file =
            new ParquetFile(
                fileId++,
                key,
                40 + random.nextInt(400),
                table,
                sequence,
                minTime,
                minTime + 59_000_000_000L);
        byte[] bytes = InfluxFiles.parquet(file.size(), file.id());
        operations.add(() -> put(key, bytes)); // Parquet first
        deltas.put(table, new TableDelta(new ArrayList<>(List.of(file)), new ArrayList<>()));
      }
    }
    List<ParquetFile> removed = new ArrayList<>();
    if (live.size() > 2 && random.nextInt(3) == 0) {
      ParquetFile gone =
          live.firstEntry().getValue(); // a hard delete: the snapshot records the removal
      removed.add(gone);
      deltas
          .computeIfAbsent(gone.table(), t -> new TableDelta(new ArrayList<>(), new ArrayList<>()))
          .removed()
          .add(gone);
    }
    deltas.values().forEach(d -> d.added().forEach(f -> live.put(f.key(), f)));
    removed.forEach(f -> live.remove(f.key()));
    snapshots.put(sequence, deltas);
    byte[] json = snapshotJson(sequence, wal, catalogSequence, deltas);
    operations.add(() -> put(snapshotKey(sequence), json)); // then the snapshot naming them
    for (ParquetFile file : removed) {
      operations.add(
          () -> store.delete(file.key())); // removed files are deleted once the snapshot is written
    }
    persistedWal = wal;
  }

  private void planWalCleanup() {
    long upTo = persistedWal - SNAPSHOTTED_WAL_TO_KEEP;
    for (long w = deletedWalUpTo + 1; w <= upTo; w++) {
      ObjectKey key = walKey(w);
      operations.add(() -> store.delete(key));
    }
    deletedWalUpTo = Math.max(deletedWalUpTo, upTo);
  }

  private void planSplit() {
    if (snapshot <= splitUpTo) {
      return;
    }
    for (Map.Entry<Long, Map<Integer, TableDelta>> entry :
        snapshots.tailMap(splitUpTo, false).entrySet()) {
      long sequence = entry.getKey();
      for (Map.Entry<Integer, TableDelta> table : entry.getValue().entrySet()) {
        pendingTableSnapshots
            .computeIfAbsent(table.getKey(), t -> new TreeMap<>())
            .put(sequence, table.getValue());
        byte[] json = tableSnapshotJson(table.getKey(), sequence, table.getValue());
        ObjectKey key = tableSnapshotKey(table.getKey(), sequence);
        operations.add(() -> put(key, json));
      }
    }
    splitUpTo = snapshot;
    long marker = splitUpTo;
    operations.add(
        () ->
            put(
                key("table-index-conversion-completed"),
                ("{\n  \"last_sequence_number\": " + marker + "\n}")
                    .getBytes(StandardCharsets.UTF_8)));
  }

  private void planMerge() {
    for (Map.Entry<Integer, TreeMap<Long, TableDelta>> pending : pendingTableSnapshots.entrySet()) {
      int table = pending.getKey();
      Index old = indexes.getOrDefault(table, new Index(0, new TreeMap<>()));
      TreeMap<Long, ParquetFile> files = new TreeMap<>(old.files());
      for (TableDelta delta : pending.getValue().values()) {
        delta.added().forEach(f -> files.put(f.id(), f));
        delta.removed().forEach(f -> files.remove(f.id()));
      }
      Index merged = new Index(pending.getValue().lastKey(), files);
      indexes.put(table, merged);
      byte[] json = indexJson(table, merged);
      operations.add(() -> put(indexKey(table), json)); // rewritten in place
      for (long sequence : List.copyOf(pending.getValue().keySet())) {
        ObjectKey key = tableSnapshotKey(table, sequence);
        operations.add(() -> store.delete(key)); // merged deltas are deleted
      }
    }
    pendingTableSnapshots.clear();
  }

  private void planRetention() {
    for (Map.Entry<Integer, Index> entry : indexes.entrySet()) {
      if (entry.getValue().files().isEmpty()) {
        continue;
      }
      int table = entry.getKey();
      TreeMap<Long, ParquetFile> files = new TreeMap<>(entry.getValue().files());
      ParquetFile expired = files.pollFirstEntry().getValue();
      Index purged = new Index(entry.getValue().latestSnapshot(), files);
      indexes.put(table, purged);
      live.remove(expired.key());
      byte[] json = indexJson(table, purged);
      operations.add(
          () -> store.delete(expired.key())); // the object goes, then the index that listed it
      operations.add(() -> put(indexKey(table), json));
      return;
    }
  }

  private byte[] snapshotJson(
      long sequence, long walSequence, long catalogSeq, Map<Integer, TableDelta> deltas) {
    List<ParquetFile> added = deltas.values().stream().flatMap(d -> d.added().stream()).toList();
    long minTime = added.stream().mapToLong(ParquetFile::minTime).min().orElse(Long.MAX_VALUE);
    long maxTime = added.stream().mapToLong(ParquetFile::maxTime).max().orElse(Long.MIN_VALUE);
    String json =
        "{\n  \"version\": \"1\",\n  \"node_id\": \""
            + node
            + "\",\n  \"next_file_id\": "
            + fileId
            + ",\n  \"snapshot_sequence_number\": "
            + sequence
            + ",\n  \"wal_file_sequence_number\": "
            + walSequence
            + ",\n  \"catalog_sequence_number\": "
            + catalogSeq
            + ",\n  \"parquet_size_bytes\": "
            + added.stream().mapToLong(ParquetFile::size).sum()
            + ",\n  \"row_count\": "
            + added.size() * 10L
            + ",\n  \"min_time\": "
            + minTime
            + ",\n  \"max_time\": "
            + maxTime
            + ",\n  \"databases\": "
            + databases(deltas, false)
            + ",\n  \"removed_files\": "
            + databases(deltas, true)
            + "\n}\n";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  /** A {@code SerdeVecMap} of database 0 to its tables, each to its files. */
  private static String databases(Map<Integer, TableDelta> deltas, boolean removed) {
    StringBuilder tables = new StringBuilder();
    deltas.forEach(
        (table, delta) -> {
          List<ParquetFile> files = removed ? delta.removed() : delta.added();
          if (!files.isEmpty()) {
            tables
                .append(tables.length() == 0 ? "" : ", ")
                .append("[")
                .append(table)
                .append(", ")
                .append(fileArray(files))
                .append("]");
          }
        });
    return tables.length() == 0 ? "[]" : "[[0, {\"tables\": [" + tables + "]}]]";
  }

  private static String fileArray(Iterable<ParquetFile> files) {
    StringBuilder array = new StringBuilder("[");
    for (ParquetFile file : files) {
      array
          .append(array.length() == 1 ? "" : ", ")
          .append("{\"id\": ")
          .append(file.id())
          .append(", \"path\": \"")
          .append(file.key())
          .append("\", \"size_bytes\": ")
          .append(file.size())
          .append(", \"row_count\": 10, \"chunk_time\": ")
          .append(file.minTime())
          .append(", \"min_time\": ")
          .append(file.minTime())
          .append(", \"max_time\": ")
          .append(file.maxTime())
          .append("}");
    }
    return array.append("]").toString();
  }

  private byte[] tableSnapshotJson(int table, long sequence, TableDelta delta) {
    return ("{\"node_id\": \""
            + node
            + "\", \"db_id\": 0, \"table_id\": "
            + table
            + ", \"snapshot_sequence_number\": "
            + sequence
            + ", \"files\": "
            + fileArray(delta.added())
            + ", \"removed_files\": "
            + delta.removed().stream().map(f -> Long.toString(f.id())).toList()
            + ", \"parquet_size_bytes\": 0, \"row_count\": 0, \"min_time\": 0, \"max_time\": 0}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private byte[] indexJson(int table, Index index) {
    return ("{\"node_id\": \""
            + node
            + "\", \"db_id\": 0, \"table_id\": "
            + table
            + ", \"files\": "
            + fileArray(index.files().values())
            + ", \"latest_snapshot_sequence_number\": "
            + index.latestSnapshot()
            + ", \"parquet_size_bytes\": 0, \"row_count\": 0, \"min_time\": 0, \"max_time\": 0}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private byte[] catalogFile(boolean checkpoint, long sequence) {
    String json =
        checkpoint
            ? "{\"sequence\":"
                + sequence
                + ",\"catalog_id\":\""
                + node
                + "\",\"catalog_uuid\":\""
                + catalogUuid
                + "\"}"
            : "{\"catalog_batch\":{},\"sequence_number\":" + sequence + "}";
    return switch (catalog) {
      case V1 -> InfluxFiles.framedCatalog(checkpoint ? "idb3.003.s" : "idb3.003.l", json);
      case V2 -> InfluxFiles.framedCatalog(checkpoint ? "idb3.004.s" : "idb3.004.l", json);
      case V3 ->
          InfluxFiles.catalogV3(
              checkpoint, catalogUuid, sequence, json.getBytes(StandardCharsets.UTF_8));
    };
  }

  private ObjectKey checkpointKey() {
    return key(catalog.checkpoint());
  }

  private ObjectKey logKey(long sequence) {
    return key(catalog.logDirectory() + SequenceNumbers.padded(sequence, 20) + ".catalog");
  }

  private ObjectKey tableSnapshotKey(int table, long sequence) {
    return key(
        "table-snapshots/0/" + table + "/" + SequenceNumbers.padded(sequence, 20) + ".info.json");
  }

  private ObjectKey indexKey(int table) {
    return key("db-indices/0/" + table + "/index.info.json");
  }

  private ObjectKey key(String relative) {
    return node.prefix().resolve(relative);
  }

  private void put(ObjectKey key, byte[] bytes) throws IOException {
    store.write(key, ObjectContent.ofBytes(bytes), WriteMode.REPLACE);
  }
}
