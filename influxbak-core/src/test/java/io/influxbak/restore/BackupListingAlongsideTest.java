package io.influxbak.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.testing.SimulatedCoreServer;
import io.influxbak.layout.testing.SimulatedCoreServer.Step;
import io.influxbak.repository.DestinationNotEmptyException;
import io.influxbak.store.KeyLevel;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.StoreCapabilities;
import io.influxbak.store.WriteMode;
import io.influxbak.store.testing.AwaitedEvent;
import io.influxbak.store.testing.ForwardingObjectStore;
import io.influxbak.store.testing.InMemoryObjectStore;
import io.influxbak.transfer.TransferSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A restore lists a remote backup store's root for its check before the first write while it reads
 * the manifest, on a thread of its own, unless its parallelism is 1; the check's verdict is the
 * same, and no thread outlives the restore.
 */
class BackupListingAlongsideTest {
  private static final NodeId NODE = NodeId.of("node0");
  private static final String LISTER = "influxbak-backup-listing";

  private final InMemoryObjectStore live = new InMemoryObjectStore();
  private final InMemoryObjectStore backups = new InMemoryObjectStore();

  /**
   * The backup's root listed, and by which thread; each opening of the manifest waits for it and
   * records whether the listing had begun.
   */
  private final AwaitedEvent rootListed = new AwaitedEvent();

  /** Whether the backups' store says its listings are remote (round trips): a cloud store. */
  private boolean remote = true;

  /**
   * The backups, whose manifest waits (up to 10 s) for the root's listing to begin: a restore that
   * lists only after reading the manifest waits out the 10 s, recorded as not overlapped.
   */
  private final ForwardingObjectStore backupStore =
      new ForwardingObjectStore(backups) {
        @Override
        public StoreCapabilities capabilities() {
          return remote ? super.capabilities().withRemoteListing() : super.capabilities();
        }

        @Override
        public ObjectIterator list(KeyPrefix prefix) throws IOException {
          listing(prefix);
          return super.list(prefix);
        }

        @Override
        public KeyLevel listLevel(KeyPrefix prefix) throws IOException {
          listing(prefix); // a remote store's root is listed a level at a time
          return super.listLevel(prefix);
        }

        private void listing(KeyPrefix prefix) {
          if (prefix.toString().startsWith("b/")) {
            rootListed.happen();
          }
        }

        @Override
        public InputStream open(ObjectKey key) throws IOException {
          if (key.toString().equals("b/manifest.json")) {
            rootListed.await();
          }
          return super.open(key);
        }
      };

  @BeforeEach
  void backupB() throws IOException {
    SimulatedCoreServer server = new SimulatedCoreServer(live, NODE, CatalogGeneration.V3, 7);
    server.queue(List.of(Step.WRITE, Step.SNAPSHOT, Step.WRITE));
    server.drain();
    BackupPlan.core(NODE)
        .withOptions(BackupOptions.builder().backupId("b").build())
        .execute(live, backups);
  }

  private RestoreResult restore(int parallelism, InMemoryObjectStore target) throws IOException {
    return RestorePlan.of("b")
        .withOptions(
            RestoreOptions.builder()
                .transfer(TransferSettings.builder().parallelism(parallelism).build())
                .build())
        .execute(backupStore, target);
  }

  private static boolean listerAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals(LISTER) && t.isAlive());
  }

  @Test
  void restore_listsTheBackupWhileItReadsTheManifest() throws IOException {
    InMemoryObjectStore target = new InMemoryObjectStore();

    RestoreResult result = restore(16, target);

    // (the listing's own requests run on the listing threads of a remote store)
    assertThat(rootListed.waits()).as("the manifest's read").first().isEqualTo(true);
    assertThat(result.objectCount()).isPositive();
    ObjectKey wal = ObjectKey.of("node0/wal/00000000001.wal");
    assertThat(target.bytes(wal).orElseThrow()).containsExactly(live.bytes(wal).orElseThrow());
    assertThat(listerAlive()).isFalse();
  }

  @Test
  void parallelismOne_listsAfterTheManifest_onTheCallersThread() throws IOException {
    rootListed.waitAtMost(200); // the manifest comes first here: it waits this long for nothing

    RestoreResult result = restore(1, new InMemoryObjectStore());

    assertThat(rootListed.waits()).as("the manifest's read").first().isEqualTo(false);
    assertThat(result.objectCount()).isPositive();
  }

  @Test
  void localStore_listsAfterTheManifest_onTheCallersThread() throws IOException {
    remote = false;
    rootListed.waitAtMost(200);

    RestoreResult result = restore(16, new InMemoryObjectStore());

    assertThat(rootListed.firstThread()).hasValue(Thread.currentThread().getName());
    assertThat(rootListed.waits()).as("the manifest's read").first().isEqualTo(false);
    assertThat(result.objectCount()).isPositive();
  }

  @Test
  void objectMissingFromTheListing_refusedBeforeTheFirstWrite() throws IOException {
    backups.delete(ObjectKey.of("b/node0/wal/00000000001.wal"));
    InMemoryObjectStore target = new InMemoryObjectStore();

    assertThatThrownBy(() -> restore(16, target))
        .isInstanceOf(BackupDamagedException.class)
        .hasMessageContaining("node0/wal/00000000001.wal")
        .hasMessageContaining("missing");
    assertThat(target.size()).as("objects written to the target").isZero();
    assertThat(listerAlive()).isFalse();
  }

  @Test
  void targetNotEmpty_refused_andTheListingEndsWithTheRestore() throws IOException {
    InMemoryObjectStore target = new InMemoryObjectStore();
    target.write(
        ObjectKey.of("node0/wal/00000000009.wal"),
        ObjectContent.ofBytes("theirs".getBytes(StandardCharsets.UTF_8)),
        WriteMode.CREATE_NEW);

    assertThatThrownBy(() -> restore(16, target)).isInstanceOf(DestinationNotEmptyException.class);

    assertThat(rootListed.firstThread()).as("the backup's listing began").isPresent();
    assertThat(listerAlive()).as("the backup's lister outlived the restore").isFalse();
    assertThat(target.bytes(ObjectKey.of("node0/wal/00000000009.wal")))
        .hasValueSatisfying(
            b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("theirs"));
  }
}
