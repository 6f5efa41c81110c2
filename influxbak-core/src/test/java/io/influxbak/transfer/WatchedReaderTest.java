package io.influxbak.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.consistency.ConsistencyCheck;
import io.influxbak.consistency.ConsistencyReport;
import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.testing.CoreNodeArbitraries;
import io.influxbak.retention.Prune;
import io.influxbak.retention.PruneResult;
import io.influxbak.retention.RetentionPolicy;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.testing.InMemoryObjectStore;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Cancellation and progress for what reads one object at a time (check) and prune's deletes. */
class WatchedReaderTest {
  private static final NodeId NODE = NodeId.of("node0");

  private static InMemoryObjectStore node() throws IOException {
    InMemoryObjectStore store = new InMemoryObjectStore();
    CoreNodeArbitraries.build(NODE, 2, 2, 3, 2, List.of(CatalogGeneration.V3), 0, 11)
        .writeTo(store);
    return store;
  }

  @Test
  void check_throughAWatchedReader_hearsEveryObjectRead_sameFindings() throws IOException {
    InMemoryObjectStore store = node();
    Map<ObjectKey, Long> read = new ConcurrentHashMap<>();
    TransferSettings settings =
        TransferSettings.builder()
            .progress(
                new ProgressListener() {
                  @Override
                  public void objectRead(ObjectKey key, long bytes) {
                    read.merge(key, bytes, Long::sum);
                  }
                })
            .build();
    ConsistencyReport watched =
        ConsistencyCheck.check(
            new WatchedReader(store, settings, "check"),
            KeyPrefix.ROOT,
            NODE,
            ConsistencyCheck.Source.LIVE);
    ConsistencyReport plain =
        ConsistencyCheck.check(store, KeyPrefix.ROOT, NODE, ConsistencyCheck.Source.LIVE);

    assertThat(watched.findings()).isEqualTo(plain.findings());
    assertThat(read).isNotEmpty();
    for (Map.Entry<ObjectKey, Long> object : read.entrySet()) {
      // each object read whole (the check reads snapshots, WAL and catalog files entirely)
      assertThat(object.getValue()).isEqualTo(store.stat(object.getKey()).orElseThrow().size());
    }
  }

  @Test
  void check_cancelled_stopsWithTheOperationNamed() throws IOException {
    InMemoryObjectStore store = node();
    CancellationHandle cancellation = new CancellationHandle();
    cancellation.cancel();
    TransferSettings settings = TransferSettings.builder().cancellation(cancellation).build();
    assertThatThrownBy(
            () ->
                ConsistencyCheck.check(
                    new WatchedReader(store, settings, "check of node0"),
                    KeyPrefix.ROOT,
                    NODE,
                    ConsistencyCheck.Source.LIVE))
        .isInstanceOf(OperationCancelledException.class)
        .hasMessageContaining("check of node0");
  }

  @Test
  void prune_tellsTheListenerEveryObjectItDeleted() throws IOException {
    InMemoryObjectStore source = node();
    InMemoryObjectStore backups = new InMemoryObjectStore();
    for (String id : new String[] {"b1", "b2"}) {
      BackupPlan.core(NODE.toString())
          .withOptions(BackupOptions.builder().backupId(id).full().build())
          .execute(source, backups);
    }
    List<ObjectKey> deleted = new java.util.concurrent.CopyOnWriteArrayList<>();
    PruneResult result =
        Prune.of(RetentionPolicy.keepLast(1))
            .transfer(
                TransferSettings.builder()
                    .progress(
                        new ProgressListener() {
                          @Override
                          public void objectDeleted(ObjectKey key) {
                            deleted.add(key);
                          }
                        })
                    .build())
            .execute(backups);

    assertThat(result.removed()).containsExactly("b1");
    // every object of the removed backup, and its records, were heard; all are gone
    assertThat(deleted.size()).isGreaterThan((int) result.objectsDeleted());
    assertThat(deleted).allMatch(k -> k.isUnder(KeyPrefix.of("b1")));
    for (ObjectKey key : deleted) {
      assertThat(backups.stat(key)).as(key.toString()).isEmpty();
    }
  }
}
