package io.influxbak.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.influxbak.consistency.ConsistencyCheck;
import io.influxbak.consistency.ConsistencyReport;
import io.influxbak.consistency.Finding;
import io.influxbak.layout.CoreLayout;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.ObjectKind;
import io.influxbak.layout.SequenceNumbers;
import io.influxbak.layout.testing.InfluxFiles;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupRepository;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.WriteMode;
import io.influxbak.store.testing.ForwardingObjectStore;
import io.influxbak.store.testing.InMemoryObjectStore;
import io.influxbak.transfer.TransferSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A server that snapshots while the backup runs, deterministically: right after the backup has
 * copied the snapshot files, the server writes a new Parquet file and the snapshot naming it (which
 * removes the old file), deletes the old Parquet file and the WAL files it persisted, and appends a
 * new WAL file. The docs' folder-by-folder copy ends inconsistent; the pinned backup re-pins and
 * passes the consistency check.
 */
class LiveBackupTest {
  private static final NodeId NODE = NodeId.of("node0");
  private static final ObjectKey P1 =
      ObjectKey.of("node0/dbs/1/2/2026-09-07/18-20/0000000005.parquet");
  private static final ObjectKey P2 =
      ObjectKey.of("node0/dbs/1/2/2026-09-07/18-30/0000000008.parquet");

  @Test
  void docsNaiveCopy_snapshotDuringBackup_inconsistent() throws IOException {
    InMemoryObjectStore live = liveNode();
    ObjectStore server = new SnapshottingServer(live);
    InMemoryObjectStore backup = new InMemoryObjectStore();

    // The docs' scripts: each folder as it stands when its turn comes, in the documented order.
    for (String folder : new String[] {"snapshots", "dbs", "wal", "catalog"}) {
      for (ObjectKey key : list(server, KeyPrefix.of("node0/" + folder))) {
        try (InputStream in = server.open(key)) {
          backup.write(
              ObjectKey.of("naive/" + key),
              ObjectContent.ofBytes(in.readAllBytes()),
              WriteMode.CREATE_NEW);
        } catch (ObjectNotFoundException gone) {
          // cp would print "No such file" and carry on
        }
      }
    }

    ConsistencyReport report =
        ConsistencyCheck.check(backup, KeyPrefix.of("naive"), NODE, ConsistencyCheck.Source.BACKUP);
    assertThat(report.consistent()).isFalse();
    assertThat(report.findings())
        .contains(
            new Finding(
                Finding.Severity.ERROR,
                P1,
                "referenced by a snapshot but missing from the backup"));
  }

  @Test
  void pinnedBackup_snapshotDuringBackup_repinsAndIsConsistent() throws IOException {
    InMemoryObjectStore live = liveNode();
    InMemoryObjectStore backups = new InMemoryObjectStore();

    BackupResult result =
        BackupPlan.core(NODE)
            .withOptions(
                BackupOptions.builder()
                    .transfer(TransferSettings.builder().parallelism(2).build())
                    .backupId("pinned")
                    .build())
            .execute(new SnapshottingServer(live), backups);

    ConsistencyReport report =
        ConsistencyCheck.check(
            backups, KeyPrefix.of("pinned"), NODE, ConsistencyCheck.Source.BACKUP);
    assertThat(report.consistent()).as(report.findings().toString()).isTrue();
    assertThat(result.consistencyPoints())
        .singleElement()
        .satisfies(
            point -> {
              assertThat(point.snapshotSequence()).isEqualTo(2);
              assertThat(point.walSequence()).isEqualTo(8);
              assertThat(point.walFilesBeyondPin()).isEqualTo(1);
            });
    assertThat(backups.stat(ObjectKey.of("pinned/" + P2))).isPresent();
    assertThat(backups.stat(ObjectKey.of("pinned/node0/wal/00000000009.wal"))).isPresent();
    assertThat(
            BackupRepository.of(backups)
                .readManifest(BackupId.of("pinned"), 1000)
                .orElseThrow()
                .pinnedSnapshotSequence())
        .hasValue(2);
  }

  /** Snapshot 1 (WAL 5) names P1; WAL 1 to 8; a 3.10 catalog. */
  private static InMemoryObjectStore liveNode() throws IOException {
    InMemoryObjectStore store = new InMemoryObjectStore();
    put(store, P1, InfluxFiles.parquet(300, 1));
    put(store, snapshotKey(1), snapshot(1, 5, List.of(P1), List.of()));
    for (int wal = 1; wal <= 8; wal++) {
      put(store, walKey(wal), InfluxFiles.wal(("batch " + wal).getBytes(StandardCharsets.UTF_8)));
    }
    UUID uuid = UUID.randomUUID();
    put(
        store,
        ObjectKey.of("node0/catalog/v3/snapshot"),
        InfluxFiles.catalogV3(true, uuid, 0, new byte[] {1}));
    put(
        store,
        ObjectKey.of("node0/catalog/v3/logs/00000000000000000001.catalog"),
        InfluxFiles.catalogV3(false, uuid, 1, new byte[] {2}));
    return store;
  }

  /** The server: once the backup reads anything but a snapshot file, it snapshots WAL 6 to 8. */
  private static final class SnapshottingServer extends ForwardingObjectStore {
    private final AtomicBoolean snapshotted = new AtomicBoolean();

    SnapshottingServer(ObjectStore delegate) {
      super(delegate);
    }

    @Override
    public InputStream open(ObjectKey key) throws IOException {
      if (CoreLayout.of(NODE).classify(key).kind() != ObjectKind.SNAPSHOT
          && snapshotted.compareAndSet(false, true)) {
        ObjectStore store = delegate();
        put(store, P2, InfluxFiles.parquet(400, 2)); // Parquet first, then the snapshot naming it
        put(store, snapshotKey(2), snapshot(2, 8, List.of(P2), List.of(P1)));
        store.delete(P1); // removed by snapshot 2
        for (int wal = 1; wal <= 8; wal++) {
          store.delete(walKey(wal)); // persisted by snapshot 2
        }
        put(store, walKey(9), InfluxFiles.wal("newest".getBytes(StandardCharsets.UTF_8)));
      }
      return super.open(key);
    }
  }

  private static ObjectKey snapshotKey(long sequence) {
    return ObjectKey.of("node0/snapshots/" + SequenceNumbers.invertedName(sequence) + ".info.json");
  }

  private static ObjectKey walKey(long sequence) {
    return ObjectKey.of("node0/wal/" + SequenceNumbers.padded(sequence, 11) + ".wal");
  }

  private static byte[] snapshot(
      long sequence, long wal, List<ObjectKey> added, List<ObjectKey> removed) {
    return ("{\"version\": \"1\", \"node_id\": \"node0\", \"next_file_id\": 9, \"snapshot_sequence_number\": "
            + sequence
            + ", \"wal_file_sequence_number\": "
            + wal
            + ", \"catalog_sequence_number\": 1, \"parquet_size_bytes\": 0, \"row_count\": 0"
            + ", \"min_time\": 0, \"max_time\": 10, \"databases\": "
            + files(added)
            + ", \"removed_files\": "
            + files(removed)
            + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String files(List<ObjectKey> keys) {
    if (keys.isEmpty()) {
      return "[]";
    }
    StringBuilder files = new StringBuilder();
    for (ObjectKey key : keys) {
      int size = key.equals(P1) ? 300 : 400;
      files
          .append(files.length() == 0 ? "" : ", ")
          .append("{\"id\": ")
          .append(size)
          .append(", \"path\": \"")
          .append(key)
          .append("\", \"size_bytes\": ")
          .append(size)
          .append(", \"row_count\": 1, \"chunk_time\": 0, \"min_time\": 0, \"max_time\": 10}");
    }
    return "[[1, {\"tables\": [[2, [" + files + "]]]}]]";
  }

  private static void put(ObjectStore store, ObjectKey key, byte[] bytes) throws IOException {
    store.write(key, ObjectContent.ofBytes(bytes), WriteMode.REPLACE);
  }

  private static List<ObjectKey> list(ObjectStore store, KeyPrefix prefix) throws IOException {
    List<ObjectKey> keys = new ArrayList<>();
    try (ObjectIterator listing = store.list(prefix)) {
      while (listing.hasNext()) {
        ObjectInfo info = listing.next();
        keys.add(info.key());
      }
    }
    return keys;
  }
}
