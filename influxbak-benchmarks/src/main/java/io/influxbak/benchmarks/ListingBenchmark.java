package io.influxbak.benchmarks;

import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.backup.BackupResult;
import io.influxbak.layout.CoreLayout;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.NodeObject;
import io.influxbak.manifest.BackupManifest;
import io.influxbak.manifest.ManifestFormat;
import io.influxbak.restore.RestoreOptions;
import io.influxbak.restore.RestorePlan;
import io.influxbak.snapshot.SnapshotFormatException;
import io.influxbak.snapshot.SnapshotReader;
import io.influxbak.store.KeyLevel;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.WriteMode;
import io.influxbak.store.testing.InMemoryObjectStore;
import io.influxbak.transfer.OperationCancelledException;
import io.influxbak.verify.BackupVerifier;
import io.influxbak.verify.VerifyReport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cloud stores at scale, where the listing is the floor of an incremental backup: a node of {@code
 * --objects} Parquet files (default 1,000,000) in {@code --tables} tables, one snapshot referencing
 * them all, in an in-memory store behind {@link LatencyStore} ({@code --latency-ms}, default 20,
 * per request; 1,000 keys a listing page). After a full backup, it measures one sequential listing
 * of the node, a parallel listing (a delimiter listing of each level above the tables, then every
 * table at once, 16 in flight: what the planner does) and an incremental backup of the unchanged
 * node with default options, through the same latency on source and destination; then a shallow
 * verify of the full backup and a restore of it up to its first copy; then the floor that a
 * manifest naming every object sets (each step of the incremental alone, warm).
 *
 * <pre>
 * mvn -B -q -pl influxbak-benchmarks exec:java -Dexec.args="--listing"
 * </pre>
 */
final class ListingBenchmark {
  /** The node's one snapshot, which references every Parquet file. */
  private static final ObjectKey SNAPSHOT =
      ObjectKey.of("node0/snapshots/" + Long.toUnsignedString(-2L) + ".info.json");

  private ListingBenchmark() {}

  static void run(Map<String, String> options) throws Exception {
    run(
        Integer.parseInt(options.getOrDefault("objects", "1000000")),
        Integer.parseInt(options.getOrDefault("tables", "100")),
        Long.parseLong(options.getOrDefault("latency-ms", "20")),
        Integer.parseInt(options.getOrDefault("incrementals", "1")));
  }

  private static void run(int objects, int tables, long latencyMillis, int warmRuns)
      throws Exception {
    InMemoryObjectStore source = new InMemoryObjectStore();
    long generate = System.nanoTime();
    populate(source, objects, tables);
    System.out.printf(
        Locale.ROOT,
        "Node: %,d Parquet files in %d tables, a snapshot referencing them, WAL and catalog:"
            + " %,d objects (generated in %.1f s)%n",
        objects,
        tables,
        count(source, KeyPrefix.of("node0/")),
        (System.nanoTime() - generate) / 1e9);
    InMemoryObjectStore destination = new InMemoryObjectStore();
    long full = System.nanoTime();
    BackupResult first =
        BackupPlan.core("node0")
            .withOptions(BackupOptions.builder().backupId("full").build())
            .execute(source, destination);
    System.out.printf(
        Locale.ROOT,
        "Full backup without latency: %,d objects in %.1f s%n",
        first.objectCount(),
        (System.nanoTime() - full) / 1e9);

    LatencyStore slowSource = new LatencyStore(source, latencyMillis);
    LatencyStore slowDestination = new LatencyStore(destination, latencyMillis);
    KeyPrefix node = KeyPrefix.of("node0/");
    long start = System.nanoTime();
    long listed = count(slowSource, node);
    double sequential = (System.nanoTime() - start) / 1e9;
    long sequentialRequests = slowSource.requests();
    start = System.nanoTime();
    long parallelListed = parallelCount(slowSource, node, 16);
    double parallel = (System.nanoTime() - start) / 1e9;
    long parallelRequests = slowSource.requests() - sequentialRequests;
    long before = slowSource.requests() + slowDestination.requests();
    start = System.nanoTime();
    BackupResult incremental =
        BackupPlan.core("node0")
            .withOptions(BackupOptions.builder().backupId("incremental").build())
            .execute(slowSource, slowDestination);
    double backup = (System.nanoTime() - start) / 1e9;
    long backupRequests = slowSource.requests() + slowDestination.requests() - before;
    for (int i = 1; i < warmRuns; i++) { // the same again, warm: what the JIT leaves
      long again = System.nanoTime();
      BackupPlan.core("node0")
          .withOptions(BackupOptions.builder().backupId("incremental-" + i).build())
          .execute(slowSource, slowDestination);
      System.out.printf(
          Locale.ROOT, "  incremental again: %.2f s%n", (System.nanoTime() - again) / 1e9);
    }
    // A shallow verify of the full backup: one listing of its root against its manifest.
    long verifyStart = System.nanoTime();
    long requestsBefore = slowDestination.requests();
    VerifyReport shallow = BackupVerifier.shallow(slowDestination, "full");
    System.out.printf(
        Locale.ROOT,
        "  shallow verify of the full backup (%,d objects): %.2f s, %,d requests, %s%n",
        shallow.objectsChecked(),
        (System.nanoTime() - verifyStart) / 1e9,
        slowDestination.requests() - requestsBefore,
        shallow.passed() ? "intact" : "FAILED " + shallow.findings());
    // A restore of the full backup, up to its first copy (then cancelled): reading the manifest,
    // listing the backup for the check before the first write, the lease and the target's check.
    long restoreRequests = slowDestination.requests();
    double restorePlanning = restoreToFirstCopy(slowDestination, latencyMillis);
    System.out.printf(
        Locale.ROOT,
        "  restore of the full backup up to its first copy: %.2f s, %,d requests to the backups%n",
        restorePlanning,
        slowDestination.requests() - restoreRequests);
    System.out.println("  source requests " + slowSource.requestsByKind());
    System.out.println("  destination requests " + slowDestination.requestsByKind());
    System.out.printf(
        Locale.ROOT,
        "With %d ms a request (1,000 keys a page):%n"
            + "  one sequential listing:      %6.2f s, %,d keys, %,d requests%n"
            + "  parallel listing (16):       %6.2f s, %,d keys, %,d requests%n"
            + "  incremental backup:          %6.2f s, %,d objects (%,d reused, %,d copied),"
            + " %,d requests%n",
        latencyMillis,
        sequential,
        listed,
        sequentialRequests,
        parallel,
        parallelListed,
        parallelRequests,
        backup,
        incremental.objectCount(),
        incremental.reusedObjectCount(),
        incremental.objectCount() - incremental.reusedObjectCount(),
        backupRequests);
    System.out.printf(
        Locale.ROOT,
        "incremental / parallel listing: %.2fx (target <= 1.2x: %s)%n"
            + "sequential listing / incremental: %.1fx faster (target >= 10x: %s)%n",
        backup / parallel,
        backup / parallel <= 1.2 ? "met" : "MISSED",
        sequential / backup,
        sequential / backup >= 10 ? "met" : "MISSED");
    floor(
        source,
        destination,
        warmRuns > 1 ? "incremental-" + (warmRuns - 1) : "incremental",
        parallel);
  }

  /**
   * What an unchanged incremental must do besides listing, each step alone, warm, in this JVM
   * (medians of three, no latency): read its parent's manifest (which runs beside the listing),
   * parse the pinned snapshot (the pin's fold needs the listing first), and write a manifest that
   * names every object again (only once the listing has given the plan). The listing plus the
   * manifest's writing, which cannot overlap it, set a floor for this manifest format.
   */
  private static void floor(
      ObjectStore source, ObjectStore destination, String lastIncremental, double parallel)
      throws IOException, SnapshotFormatException {
    byte[] manifestBytes = bytes(destination, ObjectKey.of(lastIncremental + "/manifest.json"));
    byte[] snapshot = bytes(source, SNAPSHOT);
    NodeObject snapshotObject = CoreLayout.of(NodeId.of("node0")).classify(SNAPSHOT);
    List<Double> read = new ArrayList<>();
    List<Double> write = new ArrayList<>();
    List<Double> parse = new ArrayList<>();
    BackupManifest manifest = null;
    for (int i = 0; i < 3; i++) {
      long start = System.nanoTime();
      manifest =
          ManifestFormat.read(
              new ByteArrayInputStream(manifestBytes), lastIncremental, Integer.MAX_VALUE);
      read.add((System.nanoTime() - start) / 1e9);
      start = System.nanoTime();
      ManifestFormat.write(manifest, OutputStream.nullOutputStream());
      write.add((System.nanoTime() - start) / 1e9);
      start = System.nanoTime();
      SnapshotReader.parseSnapshot(snapshotObject, snapshot);
      parse.add((System.nanoTime() - start) / 1e9);
    }
    double written = Measurements.median(write);
    System.out.printf(
        Locale.ROOT,
        "Each step alone, warm (medians of 3, no latency): the parent's manifest (%,d entries,"
            + " %,d bytes) read %.2f s, written %.2f s; the snapshot (%,d bytes) parsed %.2f s%n"
            + "floor of this manifest format: the parallel listing then the manifest's writing,"
            + " %.2f + %.2f = %.2f s = %.2fx the listing (target <= 1.2x)%n",
        manifest.entries().size(),
        manifestBytes.length,
        Measurements.median(read),
        written,
        snapshot.length,
        Measurements.median(parse),
        parallel,
        written,
        parallel + written,
        (parallel + written) / parallel);
  }

  private static byte[] bytes(ObjectStore store, ObjectKey key) throws IOException {
    try (InputStream in = store.open(key)) {
      return in.readAllBytes();
    }
  }

  /** Seconds from the start of a restore of "full" to its first phase, which it cancels. */
  private static double restoreToFirstCopy(ObjectStore backups, long latencyMillis)
      throws IOException {
    StopAtFirstCopy stop = new StopAtFirstCopy();
    long start = System.nanoTime();
    try {
      RestorePlan.of("full")
          .withOptions(RestoreOptions.builder().transfer(stop.settings()).build())
          .execute(backups, new LatencyStore(new InMemoryObjectStore(), latencyMillis));
      throw new IllegalStateException("the restore was to stop at its first copy");
    } catch (OperationCancelledException expected) {
      return stop.secondsSince(start);
    }
  }

  private static long count(ObjectStore store, KeyPrefix prefix) throws IOException {
    long n = 0;
    try (ObjectIterator listing = store.list(prefix)) {
      while (listing.hasNext()) {
        listing.next();
        n++;
      }
    }
    return n;
  }

  /** The levels above the tables by delimiter listings, then every table, in parallel. */
  private static long parallelCount(ObjectStore store, KeyPrefix node, int parallelism)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(parallelism);
    try {
      AtomicLong keys = new AtomicLong();
      List<KeyPrefix> whole = new ArrayList<>();
      List<KeyPrefix> levels = List.of(node);
      for (int depth = 0; !levels.isEmpty(); depth++) {
        List<Future<KeyLevel>> reads = new ArrayList<>();
        for (KeyPrefix level : levels) {
          reads.add(pool.submit(() -> store.listLevel(level)));
        }
        List<KeyPrefix> next = new ArrayList<>();
        for (Future<KeyLevel> read : reads) {
          KeyLevel level = read.get();
          keys.addAndGet(level.objects().size());
          for (KeyPrefix child : level.prefixes()) {
            boolean descend = depth == 0 ? child.toString().endsWith("/dbs/") : depth < 2;
            (descend ? next : whole).add(child);
          }
        }
        levels = next;
      }
      List<Future<Long>> lists = new ArrayList<>();
      for (KeyPrefix prefix : whole) {
        lists.add(pool.submit(() -> count(store, prefix)));
      }
      for (Future<Long> list : lists) {
        keys.addAndGet(list.get());
      }
      return keys.get();
    } finally {
      pool.shutdownNow();
    }
  }

  private static void populate(ObjectStore store, int objects, int tables) throws IOException {
    byte[] parquet = "PAR1PAR1".getBytes(StandardCharsets.US_ASCII);
    StringBuilder databases = new StringBuilder();
    int perDatabase = 10;
    for (int db = 0; db * perDatabase < tables; db++) {
      databases.append(db == 0 ? "" : ",").append('[').append(db).append(",{\"tables\":[");
      for (int t = db * perDatabase; t < Math.min(tables, (db + 1) * perDatabase); t++) {
        databases.append(t == db * perDatabase ? "" : ",").append('[').append(t).append(",[");
        boolean first = true;
        for (int i = t; i < objects; i += tables) {
          String key =
              String.format(
                  "node0/dbs/%d/%d/2026-11-30/%02d-00/%010d.parquet", db, t, (i / 5000) % 24, i);
          store.write(ObjectKey.of(key), ObjectContent.ofBytes(parquet), WriteMode.CREATE_NEW);
          databases
              .append(first ? "" : ",")
              .append("{\"id\":")
              .append(i)
              .append(",\"path\":\"")
              .append(key)
              .append("\",\"size_bytes\":8,\"row_count\":1,\"chunk_time\":0,\"min_time\":0,")
              .append("\"max_time\":0}");
          first = false;
        }
        databases.append("]]");
      }
      databases.append("]}]");
    }
    String snapshot =
        "{\"version\":\"1\",\"node_id\":\"node0\",\"next_file_id\":"
            + objects
            + ",\"snapshot_sequence_number\":1,\"wal_file_sequence_number\":2,"
            + "\"catalog_sequence_number\":1,\"parquet_size_bytes\":0,\"row_count\":0,"
            + "\"min_time\":0,\"max_time\":0,\"databases\":["
            + databases
            + "],\"removed_files\":[]}";
    store.write(
        SNAPSHOT,
        ObjectContent.ofBytes(snapshot.getBytes(StandardCharsets.UTF_8)),
        WriteMode.CREATE_NEW);
    for (int n = 1; n <= 4; n++) {
      store.write(
          ObjectKey.of(String.format("node0/wal/%011d.wal", n)),
          ObjectContent.ofBytes(walFile(("wal " + n).getBytes(StandardCharsets.UTF_8))),
          WriteMode.CREATE_NEW);
    }
  }

  static byte[] walFile(byte[] payload) {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(payload);
    return java.nio.ByteBuffer.allocate(12 + payload.length)
        .put("idb3.001".getBytes(StandardCharsets.US_ASCII))
        .putInt((int) crc.getValue())
        .put(payload)
        .array();
  }
}
