package io.influxbak.store.fs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.base.Throwables;
import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.testing.CoreNodeArbitraries;
import io.influxbak.pin.PinLostException;
import io.influxbak.restore.RestorePlan;
import io.influxbak.restore.RestoreResult;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.testing.InMemoryObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups of a live node on the real file system while the "server" creates and deletes files and
 * whole directories in bursts (as 3.3+ servers do with table snapshots): every backup completes or
 * fails with {@link PinLostException}, never with a listing error, and every completed one restores
 * to a consistent node.
 */
class LiveDeletionsTest {
  @TempDir Path base;

  @Test
  void backups_whileDirectoriesAreCreatedAndDeletedInBursts_neverFailToList() throws Exception {
    Path data = Files.createDirectories(base.resolve("data"));
    Path backups = Files.createDirectories(base.resolve("backups"));
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong deletedDirectories = new AtomicLong();
    List<String> outcomes = new ArrayList<>();
    try (FileSystemObjectStore source = FileSystemObjectStore.open(data);
        FileSystemObjectStore destination = FileSystemObjectStore.open(backups)) {
      CoreNodeArbitraries.build(
              NodeId.of("node0"), 3, 20, 30, 20, List.of(CatalogGeneration.V3), 0, 11)
          .writeTo(source);
      Thread server =
          new Thread(
              () -> {
                Path snapshots = data.resolve("node0/table-snapshots");
                for (int burst = 0; running.get(); burst++) {
                  Path directory = snapshots.resolve("0/" + (burst % 7));
                  try {
                    Files.createDirectories(directory);
                    for (int i = 0; i < 300; i++) {
                      Files.writeString(
                          directory.resolve(String.format("%020d.info.json", i)), "{}");
                    }
                    // Merged: deleted file by file, then the directory.
                    PathUtils.deleteDirectory(directory);
                    deletedDirectories.incrementAndGet();
                  } catch (IOException e) {
                    // the backup never writes here; a failed burst just starts the next
                  }
                }
              });
      server.start();
      try {
        // The listing itself, many times over: files and directories vanish under it.
        long listed = 0;
        for (int pass = 0; pass < 200; pass++) {
          try (ObjectIterator objects = source.list(KeyPrefix.of("node0"))) {
            while (objects.hasNext()) {
              objects.next();
              listed++;
            }
          }
        }
        assertThat(listed).isGreaterThan(200);
        for (int run = 0; run < 6; run++) {
          String id = "live-" + run;
          try {
            BackupPlan.core("node0")
                .withOptions(BackupOptions.builder().backupId(id).full().build())
                .execute(source, destination);
            RestoreResult restored =
                RestorePlan.of(id).execute(destination, new InMemoryObjectStore());
            assertThat(restored.consistent()).as("restore of %s", id).isTrue();
            outcomes.add("complete");
          } catch (IOException e) {
            assertThat(Throwables.getCausalChain(e))
                .as("backup %s failed: %s", id, e)
                .anyMatch(PinLostException.class::isInstance);
            outcomes.add("pin lost");
          }
        }
      } finally {
        running.set(false);
        server.join();
      }
    }
    assertThat(deletedDirectories.get())
        .as("directories deleted during the backups")
        .isGreaterThan(6);
    assertThat(outcomes).hasSize(6).contains("complete");
  }
}
