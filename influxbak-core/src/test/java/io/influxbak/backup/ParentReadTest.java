package io.influxbak.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.testing.SimulatedCoreServer;
import io.influxbak.layout.testing.SimulatedCoreServer.Step;
import io.influxbak.manifest.ManifestException;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.WriteMode;
import io.influxbak.store.testing.AwaitedEvent;
import io.influxbak.store.testing.ForwardingObjectStore;
import io.influxbak.store.testing.InMemoryObjectStore;
import io.influxbak.store.testing.StoreKeys;
import io.influxbak.transfer.TransferSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An incremental backup reads its parent's manifest while it plans the source, on a thread of its
 * own, unless its parallelism is 1; a failure of either surfaces as before, and no thread outlives
 * the run.
 */
class ParentReadTest {
  private static final NodeId NODE = NodeId.of("node0");
  private static final String READER = "influxbak-parent-manifest";

  private final InMemoryObjectStore live = new InMemoryObjectStore();
  private final InMemoryObjectStore backups = new InMemoryObjectStore();

  /**
   * The parent's manifest opened, and by which thread; each listing of the source waits for it and
   * records whether it had been opened.
   */
  private final AwaitedEvent parentOpened = new AwaitedEvent();

  /** The backups, recording who opens the parent's manifest. */
  private final ForwardingObjectStore destination =
      new ForwardingObjectStore(backups) {
        @Override
        public InputStream open(ObjectKey key) throws IOException {
          if (key.toString().equals("a/manifest.json")) {
            parentOpened.happen();
          }
          return super.open(key);
        }
      };

  /**
   * The node, whose listing waits (up to 10 s) for the parent's manifest to be opened: a run that
   * reads its parent only after planning waits out the 10 s, and its listing is recorded as not
   * overlapped.
   */
  private final ForwardingObjectStore source =
      new ForwardingObjectStore(live) {
        @Override
        public ObjectIterator list(KeyPrefix prefix) throws IOException {
          parentOpened.await();
          return super.list(prefix);
        }
      };

  private void fullBackupA() throws IOException {
    SimulatedCoreServer server = new SimulatedCoreServer(live, NODE, CatalogGeneration.V3, 7);
    server.queue(List.of(Step.WRITE, Step.SNAPSHOT, Step.WRITE));
    server.drain();
    BackupPlan.core(NODE)
        .withOptions(BackupOptions.builder().backupId("a").build())
        .execute(live, backups);
  }

  private BackupResult incrementalB(int parallelism) throws IOException {
    return BackupPlan.core(NODE)
        .withOptions(
            BackupOptions.builder()
                .backupId("b")
                .transfer(TransferSettings.builder().parallelism(parallelism).build())
                .build())
        .execute(source, destination);
  }

  private static boolean readerAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals(READER) && t.isAlive());
  }

  @Test
  void incremental_readsItsParentWhileTheSourceIsListed() throws IOException {
    fullBackupA();

    BackupResult b = incrementalB(16);

    assertThat(parentOpened.firstThread()).hasValue(READER);
    assertThat(parentOpened.waits()).as("the planning's listing").first().isEqualTo(true);
    assertThat(b.objects()).isNotEmpty().allSatisfy(o -> assertThat(o.reused()).isTrue());
    assertThat(readerAlive()).isFalse();
  }

  @Test
  void parallelismOne_readsItsParentAfterPlanning_onTheCallersThread() throws IOException {
    fullBackupA();
    parentOpened.waitAtMost(200); // the listing comes first here: it waits this long for nothing

    BackupResult b = incrementalB(1);

    assertThat(parentOpened.firstThread()).hasValue(Thread.currentThread().getName());
    assertThat(parentOpened.waits()).as("the planning's listing").first().isEqualTo(false);
    assertThat(b.objects()).isNotEmpty().allSatisfy(o -> assertThat(o.reused()).isTrue());
  }

  @Test
  void planningFails_theParentReadEndsWithTheRun() throws IOException {
    fullBackupA();
    for (ObjectKey key : StoreKeys.under(live, KeyPrefix.of("node0/"))) {
      live.delete(key);
    }

    assertThatThrownBy(() -> incrementalB(16)).isInstanceOf(NodeNotFoundException.class);

    assertThat(parentOpened.firstThread()).hasValue(READER);
    assertThat(readerAlive()).as("the parent's reader outlived the run").isFalse();
    assertThat(backups.bytes(ObjectKey.of("b/manifest.json"))).isEmpty();
  }

  @Test
  void parentManifestUnreadable_failsTheBackupNamingIt() throws IOException {
    fullBackupA();
    backups.write(
        ObjectKey.of("a/manifest.json"),
        ObjectContent.ofBytes(
            new String(
                    backups.bytes(ObjectKey.of("a/manifest.json")).orElseThrow(),
                    StandardCharsets.UTF_8)
                .replace("\"kind\":\"WAL\"", "\"kind\":\"WALL\"")
                .getBytes(StandardCharsets.UTF_8)),
        WriteMode.REPLACE);

    assertThatThrownBy(() -> incrementalB(16))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("a/manifest.json")
        .hasMessageContaining("WALL");
    assertThat(readerAlive()).isFalse();
    assertThat(backups.bytes(ObjectKey.of("b/manifest.json"))).isEmpty();
  }
}
