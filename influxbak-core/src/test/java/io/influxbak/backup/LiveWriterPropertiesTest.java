package io.influxbak.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.influxbak.consistency.ConsistencyCheck;
import io.influxbak.consistency.ConsistencyReport;
import io.influxbak.layout.CoreLayout;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.ObjectKind;
import io.influxbak.layout.SequenceNumbers;
import io.influxbak.layout.testing.InfluxFiles;
import io.influxbak.pin.PinLostException;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupRepository;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.WriteMode;
import io.influxbak.store.testing.ForwardingObjectStore;
import io.influxbak.store.testing.InMemoryObjectStore;
import io.influxbak.transfer.TransferSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * A simulated InfluxDB 3 server writing while a pinned backup runs. jqwik generates the server's
 * steps; a deterministic scheduler (a store wrapper) runs the next step every time the backup reads
 * an object, so every interleaving is reproducible and no sleep is involved. Property: every backup
 * that completes passes the consistency check, which includes holding every live Parquet file of
 * its pin.
 */
class LiveWriterPropertiesTest {
  private static final NodeId NODE = NodeId.of("node0");

  /** What the server does. */
  enum Step {
    /** A WAL flush. */
    APPEND_WAL,
    /**
     * Parquet files for the unsnapshotted WAL, then the snapshot naming them (sometimes removing an
     * old file, which is then deleted).
     */
    SNAPSHOT,
    /** Snapshotted WAL files deleted. */
    DELETE_SNAPSHOTTED_WAL,
    /** Retention: a live file of table 0/0 deleted and the table index rewritten without it. */
    RETENTION
  }

  @Property(tries = 300)
  void pinnedBackup_underAnyInterleaving_consistentWithEveryLiveParquet(
      @ForAll("steps") List<Step> steps, @ForAll("steps") List<Step> before, @ForAll long seed)
      throws IOException {
    Server server = new Server(seed);
    for (Step step : before) {
      server.run(step);
    }
    server.queue(steps);
    InMemoryObjectStore backups = new InMemoryObjectStore();
    // What this property is about must happen: backups that lost their pin, re-pinned and
    // completed (36% of tries measured), and almost none that ran out of re-pins. Without
    // re-pinning 39% of tries lose the pin, and these fail.
    Statistics.label("outcome").coverage(c -> c.check("completed").percentage(p -> p >= 90));
    Statistics.label("re-pinned").coverage(c -> c.check(true).percentage(p -> p >= 20));

    BackupResult result;
    try {
      result =
          BackupPlan.core(NODE)
              .withOptions(
                  BackupOptions.builder()
                      .transfer(TransferSettings.builder().parallelism(1).build())
                      .backupId("b")
                      .build())
              .execute(server.scheduled(), backups);
    } catch (PinLostException e) {
      Statistics.label("outcome").collect("pin lost (bounded re-pins)");
      Statistics.label("re-pinned").collect(false);
      assertThat(BackupRepository.of(backups).readManifest(BackupId.of("b"), 100_000)).isEmpty();
      return;
    }
    Statistics.label("outcome").collect("completed");
    Statistics.label("re-pinned").collect(result.repins() > 0);
    ConsistencyReport report =
        ConsistencyCheck.check(backups, KeyPrefix.of("b"), NODE, ConsistencyCheck.Source.BACKUP);
    assertThat(report.consistent()).as(report.findings().toString()).isTrue();
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    return Arbitraries.of(Step.class).list().ofMaxSize(12);
  }

  /** The simulated server over an in-memory store. */
  private static final class Server {
    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private final Random random;
    private final Deque<Step> pending = new ArrayDeque<>();
    private final Map<ObjectKey, long[]> live = new LinkedHashMap<>(); // key -> {db, table, size}
    private long wal;
    private long persistedWal;
    private long snapshot;
    private long fileId;

    Server(long seed) throws IOException {
      random = new Random(seed);
      UUID uuid = new UUID(seed, ~seed);
      put(
          ObjectKey.of("node0/catalog/v3/snapshot"),
          InfluxFiles.catalogV3(true, uuid, 0, new byte[] {1}));
      put(
          ObjectKey.of("node0/catalog/v3/logs/00000000000000000001.catalog"),
          InfluxFiles.catalogV3(false, uuid, 1, new byte[] {2}));
      run(Step.APPEND_WAL);
      run(Step.SNAPSHOT);
    }

    void queue(List<Step> steps) {
      pending.addAll(steps);
    }

    /** The store as the backup sees it: each read lets the server take its next step first. */
    ObjectStore scheduled() {
      return new ForwardingObjectStore(store) {
        @Override
        public InputStream open(ObjectKey key) throws IOException {
          Step next = pending.poll();
          if (next != null) {
            run(next);
          }
          return super.open(key);
        }
      };
    }

    void run(Step step) throws IOException {
      switch (step) {
        case APPEND_WAL:
          wal++;
          put(walKey(wal), InfluxFiles.wal(("batch " + wal).getBytes(StandardCharsets.UTF_8)));
          break;
        case SNAPSHOT:
          snapshot(random.nextInt(3) == 0);
          break;
        case DELETE_SNAPSHOTTED_WAL:
          for (long w = 1; w <= persistedWal; w++) {
            store.delete(walKey(w));
          }
          break;
        case RETENTION:
          ObjectKey victim =
              live.entrySet().stream()
                  .filter(e -> e.getValue()[0] == 0 && e.getValue()[1] == 0)
                  .map(Map.Entry::getKey)
                  .findFirst()
                  .orElse(null);
          if (victim != null) {
            live.remove(victim);
            store.delete(victim);
            writeIndex(); // the index, the truth for its table, no longer lists it
          }
          break;
      }
    }

    private void snapshot(boolean removeOne) throws IOException {
      if (wal <= persistedWal) {
        return; // nothing to persist: no snapshot file is written
      }
      snapshot++;
      List<ObjectKey> added = new ArrayList<>();
      for (int table = 0; table < 2; table++) {
        if (random.nextBoolean() || table == 0) {
          ObjectKey key =
              ObjectKey.of(
                  String.format(
                      "node0/dbs/0/%d/2026-11-24/10-%02d/%s.parquet",
                      table, snapshot % 60, SequenceNumbers.padded(wal, 10)));
          int size = 50 + random.nextInt(200);
          put(key, InfluxFiles.parquet(size, fileId)); // Parquet first
          live.put(key, new long[] {0, table, size});
          added.add(key);
        }
      }
      List<ObjectKey> removed = new ArrayList<>();
      if (removeOne) {
        live.keySet().stream().filter(k -> !added.contains(k)).findFirst().ifPresent(removed::add);
      }
      put(snapshotKey(snapshot), snapshotJson(added, removed)); // then the snapshot naming it
      persistedWal = wal;
      for (ObjectKey key : removed) {
        live.remove(key);
        store.delete(key); // removed files are deleted after the snapshot
      }
    }

    private byte[] snapshotJson(List<ObjectKey> added, List<ObjectKey> removed) {
      return ("{\"version\": \"1\", \"node_id\": \"node0\", \"next_file_id\": "
              + fileId
              + ", \"snapshot_sequence_number\": "
              + snapshot
              + ", \"wal_file_sequence_number\": "
              + wal
              + ", \"catalog_sequence_number\": 1, \"parquet_size_bytes\": 0, \"row_count\": 0"
              + ", \"min_time\": 0, \"max_time\": 10, \"databases\": "
              + databases(added)
              + ", \"removed_files\": "
              + databases(removed)
              + "}")
          .getBytes(StandardCharsets.UTF_8);
    }

    private String databases(List<ObjectKey> keys) {
      Map<Long, StringBuilder> byTable = new LinkedHashMap<>();
      for (ObjectKey key : keys) {
        long[] file =
            live.getOrDefault(
                key,
                new long[] {
                  0,
                  CoreLayout.of(NODE).classify(key).kind() == ObjectKind.PARQUET ? tableOf(key) : 0,
                  0
                });
        StringBuilder files = byTable.computeIfAbsent(file[1], t -> new StringBuilder());
        files.append(files.length() == 0 ? "" : ", ").append(fileJson(key, file[2]));
      }
      StringBuilder tables = new StringBuilder();
      byTable.forEach(
          (table, files) ->
              tables
                  .append(tables.length() == 0 ? "" : ", ")
                  .append("[")
                  .append(table)
                  .append(", [")
                  .append(files)
                  .append("]]"));
      return byTable.isEmpty() ? "[]" : "[[0, {\"tables\": [" + tables + "]}]]";
    }

    private String fileJson(ObjectKey key, long size) {
      return "{\"id\": "
          + (fileId++)
          + ", \"path\": \""
          + key
          + "\", \"size_bytes\": "
          + size
          + ", \"row_count\": 1, \"chunk_time\": 0, \"min_time\": 0, \"max_time\": 10}";
    }

    private void writeIndex() throws IOException {
      StringBuilder files = new StringBuilder();
      live.forEach(
          (key, file) -> {
            if (file[0] == 0 && file[1] == 0) {
              files.append(files.length() == 0 ? "" : ", ").append(fileJson(key, file[2]));
            }
          });
      put(
          ObjectKey.of("node0/db-indices/0/0/index.info.json"),
          ("{\"node_id\": \"node0\", \"db_id\": 0, \"table_id\": 0, \"files\": ["
                  + files
                  + "], \"latest_snapshot_sequence_number\": "
                  + snapshot
                  + "}")
              .getBytes(StandardCharsets.UTF_8));
    }

    private static long tableOf(ObjectKey key) {
      return Long.parseLong(key.toString().split("/")[3]);
    }

    private void put(ObjectKey key, byte[] bytes) throws IOException {
      store.write(key, ObjectContent.ofBytes(bytes), WriteMode.REPLACE);
    }

    private static ObjectKey snapshotKey(long sequence) {
      return ObjectKey.of(
          "node0/snapshots/" + SequenceNumbers.invertedName(sequence) + ".info.json");
    }

    private static ObjectKey walKey(long sequence) {
      return ObjectKey.of("node0/wal/" + SequenceNumbers.padded(sequence, 11) + ".wal");
    }
  }
}
