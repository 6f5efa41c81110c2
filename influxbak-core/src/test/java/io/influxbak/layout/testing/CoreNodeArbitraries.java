package io.influxbak.layout.testing;

import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.ObjectKind;
import io.influxbak.layout.SequenceNumbers;
import io.influxbak.layout.testing.GeneratedNode.GeneratedObject;
import io.influxbak.store.ObjectKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generates realistic InfluxDB 3 Core node trees: 1 to 3 databases of 1 to 3 tables, 0 to 6
 * snapshots (with gaps in their numbers) whose JSON lists the Parquet files they add and remove,
 * Parquet files in either path form (mixed, as after an upgrade), WAL files before and after the
 * newest snapshot, one to three catalog generations (older ones closed by an {@code idb3.EOF.l}
 * marker), derived objects, file-store staging files and unknown objects.
 */
public final class CoreNodeArbitraries {
  /**
   * The catalog generations a store can hold, oldest first: a single one, or an upgrade history.
   */
  private static final List<List<CatalogGeneration>> ERAS =
      List.of(
          List.of(CatalogGeneration.V1),
          List.of(CatalogGeneration.V2),
          List.of(CatalogGeneration.V3),
          List.of(CatalogGeneration.V1, CatalogGeneration.V2),
          List.of(CatalogGeneration.V2, CatalogGeneration.V3),
          List.of(CatalogGeneration.V1, CatalogGeneration.V2, CatalogGeneration.V3));

  private CoreNodeArbitraries() {}

  /** Node trees with every object kind, including unknown objects and staging files. */
  public static Arbitrary<GeneratedNode> coreNodes() {
    return Combinators.combine(
            Arbitraries.of("node0", "node-a", "host_1", "prod.eu-1", "n%2E%2E"),
            Arbitraries.integers().between(1, 3),
            Arbitraries.integers().between(1, 3),
            Arbitraries.integers().between(0, 6),
            Arbitraries.integers().between(0, 8),
            Arbitraries.of(ERAS),
            Arbitraries.integers().between(0, 3),
            Arbitraries.longs())
        .as(
            (node, databases, tables, snapshots, walAfter, eras, unknown, seed) ->
                build(
                    NodeId.of(node), databases, tables, snapshots, walAfter, eras, unknown, seed));
  }

  /** Builds one tree deterministically from its parameters. */
  public static GeneratedNode build(
      NodeId node,
      int databases,
      int tables,
      int snapshots,
      int walAfter,
      List<CatalogGeneration> eras,
      int unknown,
      long seed) {
    Random random = new Random(seed);
    TreeMap<ObjectKey, GeneratedObject> objects = new TreeMap<>();
    String n = node.toString();
    long snapshotSequence = 0;
    long walSequence = 0;
    long fileId = 0;
    List<String[]> live = new ArrayList<>(); // {db, table, path, size}
    for (int s = 0; s < snapshots; s++) {
      snapshotSequence += 1 + random.nextInt(2); // empty snapshots are not written: gaps
      walSequence += 1 + random.nextInt(4);
      StringBuilder added = new StringBuilder();
      StringBuilder removed = new StringBuilder();
      boolean idOnly = random.nextBoolean();
      for (int d = 0; d < databases; d++) {
        StringBuilder tableFiles = new StringBuilder();
        for (int t = 0; t < tables; t++) {
          if (random.nextInt(10) < 4) {
            continue;
          }
          String db = idOnly ? Integer.toString(d) : "db" + d + "-" + d;
          String table = idOnly ? Integer.toString(t) : "table-x" + t + "-" + t;
          String path =
              String.format(
                  "%s/dbs/%s/%s/2026-09-07/%02d-%02d/%s.parquet",
                  n,
                  db,
                  table,
                  10 + s,
                  random.nextInt(60),
                  SequenceNumbers.padded(walSequence, 10));
          if (objects.containsKey(ObjectKey.of(path))) {
            continue;
          }
          int size = 16 + random.nextInt(3000);
          objects.put(
              ObjectKey.of(path),
              new GeneratedObject(
                  ObjectKind.PARQUET, InfluxFiles.parquet(size, random.nextLong())));
          appendTable(tableFiles, t, parquetJson(fileId++, path, size));
          live.add(
              new String[] {
                Integer.toString(d), Integer.toString(t), path, Integer.toString(size)
              });
        }
        if (tableFiles.length() > 0) {
          appendDatabase(added, d, tableFiles);
        }
      }
      if (s > 0 && !live.isEmpty() && random.nextInt(4) == 0) {
        // Retention: a snapshot removes one earlier file, and the server deletes its object.
        String[] gone = live.remove(random.nextInt(live.size()));
        objects.remove(ObjectKey.of(gone[2]));
        StringBuilder tableFiles = new StringBuilder();
        appendTable(
            tableFiles,
            Integer.parseInt(gone[1]),
            parquetJson(999_000 + s, gone[2], Integer.parseInt(gone[3])));
        appendDatabase(removed, Integer.parseInt(gone[0]), tableFiles);
      }
      String json =
          "{\n  \"version\": \"1\",\n  \"node_id\": \""
              + n
              + "\",\n  \"next_file_id\": "
              + fileId
              + ",\n  \"snapshot_sequence_number\": "
              + snapshotSequence
              + ",\n  \"wal_file_sequence_number\": "
              + walSequence
              + ",\n  \"catalog_sequence_number\": 1,\n  \"parquet_size_bytes\": 0,\n  \"row_count\": 0"
              + ",\n  \"min_time\": 1788805224000000000,\n  \"max_time\": 1788805348000000000"
              + ",\n  \"databases\": ["
              + added
              + "]"
              // 3.0 and 3.1 wrote no removed_files field; omit it only where there is nothing to
              // record.
              + (removed.length() > 0 || random.nextBoolean()
                  ? ",\n  \"removed_files\": [" + removed + "]"
                  : "")
              + "\n}\n";
      String key =
          n + "/snapshots/" + SequenceNumbers.invertedName(snapshotSequence) + ".info.json";
      objects.put(
          ObjectKey.of(key),
          new GeneratedObject(ObjectKind.SNAPSHOT, json.getBytes(StandardCharsets.UTF_8)));
    }
    long firstWal = Math.max(1, walSequence - 2);
    for (long w = firstWal; w <= walSequence + walAfter; w++) {
      byte[] payload = new byte[8 + random.nextInt(200)];
      random.nextBytes(payload);
      objects.put(
          ObjectKey.of(n + "/wal/" + SequenceNumbers.padded(w, 11) + ".wal"),
          new GeneratedObject(ObjectKind.WAL, InfluxFiles.wal(payload)));
    }
    addCatalogs(objects, n, eras, random);
    addDerived(objects, n, snapshotSequence, live, random);
    addUnknown(objects, n, unknown);
    if (random.nextInt(3) == 0) {
      objects.put(
          ObjectKey.of(
              n
                  + "/wal/"
                  + SequenceNumbers.padded(walSequence + walAfter + 1, 11)
                  + ".wal#"
                  + random.nextInt(9)),
          new GeneratedObject(ObjectKind.STAGING_FILE, new byte[] {1, 2}));
    }
    return new GeneratedNode(node, objects);
  }

  static void addCatalogs(
      TreeMap<ObjectKey, GeneratedObject> objects,
      String n,
      List<CatalogGeneration> eras,
      Random random) {
    long sequence = 0;
    for (int g = 0; g < eras.size(); g++) {
      CatalogGeneration generation = eras.get(g);
      boolean live = g == eras.size() - 1;
      UUID uuid = new UUID(random.nextLong(), random.nextLong());
      long checkpointSequence = sequence;
      int logs = 1 + random.nextInt(3);
      for (int l = 1; l <= logs + (live ? 0 : 1); l++) {
        long logSequence = checkpointSequence + l;
        boolean eofMarker = !live && l == logs + 1;
        String key =
            n
                + "/"
                + generation.logDirectory()
                + SequenceNumbers.padded(logSequence, 20)
                + ".catalog";
        objects.put(
            ObjectKey.of(key),
            new GeneratedObject(
                ObjectKind.CATALOG_LOG,
                catalogFile(generation, false, eofMarker, uuid, logSequence)));
        sequence = logSequence;
      }
      objects.put(
          ObjectKey.of(n + "/" + generation.checkpoint()),
          new GeneratedObject(
              ObjectKind.CATALOG_CHECKPOINT,
              catalogFile(generation, true, false, uuid, checkpointSequence)));
    }
  }

  private static byte[] catalogFile(
      CatalogGeneration generation,
      boolean checkpoint,
      boolean eofMarker,
      UUID uuid,
      long sequence) {
    // As in real stores: a checkpoint's payload carries "sequence", a log's "sequence_number".
    String json =
        eofMarker
            ? "null"
            : checkpoint
                ? "{\"sequence\":" + sequence + ",\"catalog_uuid\":\"" + uuid + "\"}"
                : "{\"catalog_batch\":{},\"sequence_number\":" + sequence + "}";
    switch (generation) {
      case V1:
        return InfluxFiles.framedCatalog(
            eofMarker ? "idb3.EOF.l" : checkpoint ? "idb3.003.s" : "idb3.003.l", json);
      case V2:
        return InfluxFiles.framedCatalog(
            eofMarker ? "idb3.EOF.l" : checkpoint ? "idb3.004.s" : "idb3.004.l", json);
      case V3:
        return InfluxFiles.catalogV3(
            checkpoint, uuid, sequence, json.getBytes(StandardCharsets.UTF_8));
    }
    throw new AssertionError(generation);
  }

  private static void addDerived(
      TreeMap<ObjectKey, GeneratedObject> objects,
      String n,
      long snapshotSequence,
      List<String[]> live,
      Random random) {
    byte[] json = "{}".getBytes(StandardCharsets.UTF_8);
    if (random.nextBoolean()) {
      // As after a merge: every table with live files has an index holding them, up to the newest
      // snapshot.
      TreeMap<String, StringBuilder> tables = new TreeMap<>();
      long id = 500_000;
      for (String[] file : live) {
        StringBuilder files =
            tables.computeIfAbsent(file[0] + "/" + file[1], t -> new StringBuilder());
        files
            .append(files.length() == 0 ? "" : ", ")
            .append(parquetJson(id++, file[2], Integer.parseInt(file[3])));
      }
      tables.forEach(
          (table, files) -> {
            String[] ids = table.split("/");
            String index =
                "{\"node_id\": \""
                    + n
                    + "\", \"db_id\": "
                    + ids[0]
                    + ", \"table_id\": "
                    + ids[1]
                    + ", \"files\": ["
                    + files
                    + "], \"latest_snapshot_sequence_number\": "
                    + snapshotSequence
                    + "}";
            objects.put(
                ObjectKey.of(n + "/db-indices/" + table + "/index.info.json"),
                new GeneratedObject(
                    ObjectKind.TABLE_INDEX, index.getBytes(StandardCharsets.UTF_8)));
          });
      objects.put(
          ObjectKey.of(n + "/table-index-conversion-completed"),
          new GeneratedObject(
              ObjectKind.TABLE_INDEX_CONVERSION_MARKER,
              ("{\"last_sequence_number\":" + snapshotSequence + "}")
                  .getBytes(StandardCharsets.UTF_8)));
    }
    if (random.nextBoolean()) {
      objects.put(
          ObjectKey.of(
              n
                  + "/table-snapshots/0/0/"
                  + SequenceNumbers.padded(Math.max(1, snapshotSequence), 20)
                  + ".info.json"),
          new GeneratedObject(ObjectKind.TABLE_SNAPSHOT, json));
    }
    if (random.nextInt(4) == 0) {
      objects.put(
          ObjectKey.of(
              n
                  + "/snapshot-checkpoints/2026-09/"
                  + SequenceNumbers.invertedName(Math.max(1, snapshotSequence))
                  + ".checkpoint.json"),
          new GeneratedObject(ObjectKind.SNAPSHOT_CHECKPOINT, json));
    }
  }

  private static void addUnknown(
      TreeMap<ObjectKey, GeneratedObject> objects, String n, int unknown) {
    String[] names = {"notes/operator readme.txt", "wal/garbage.tmp", "dbs/stray.txt"};
    for (int u = 0; u < unknown; u++) {
      objects.put(
          ObjectKey.of(n + "/" + names[u]),
          new GeneratedObject(
              ObjectKind.UNKNOWN, ("unknown " + u).getBytes(StandardCharsets.UTF_8)));
    }
  }

  private static String parquetJson(long id, String path, int size) {
    return "{\"id\": "
        + id
        + ", \"path\": \""
        + path
        + "\", \"size_bytes\": "
        + size
        + ", \"row_count\": 5, \"chunk_time\": 1788805200000000000, \"min_time\": 1788805224000000000, \"max_time\": 1788805228000000000}";
  }

  private static void appendTable(StringBuilder tables, int tableId, String parquetFile) {
    if (tables.length() > 0) {
      tables.append(", ");
    }
    tables.append("[").append(tableId).append(", [").append(parquetFile).append("]]");
  }

  private static void appendDatabase(
      StringBuilder databases, int databaseId, StringBuilder tables) {
    if (databases.length() > 0) {
      databases.append(", ");
    }
    databases
        .append("[")
        .append(databaseId)
        .append(", {\"tables\": [")
        .append(tables)
        .append("]}]");
  }
}
