package io.influxbak.store.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.consistency.ConsistencyCheck;
import io.influxbak.consistency.ConsistencyReport;
import io.influxbak.consistency.Finding;
import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.testing.CoreNodeArbitraries;
import io.influxbak.restore.RestoreOptions;
import io.influxbak.restore.RestorePlan;
import io.influxbak.restore.RestoreResult;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.testing.StoreKeys;
import io.influxbak.transfer.ReportedObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Temporary files that killed writers left: found only when their writer no longer runs, never
 * listed as objects, reported by a check, and removed by the next restore or backup there.
 */
class IncompleteWritesTest {
  @TempDir Path base;

  @Test
  void incompleteWrites_onlyThoseOfWritersNoLongerRunning() throws Exception {
    Path root = Files.createDirectories(base.resolve("store"));
    Path wal = Files.createDirectories(root.resolve("node0/wal"));
    String dead = ".influxbak-" + exitedProcessId() + "-ab12-1.tmp";
    String older = ".influxbak-9f3c2e1d-7.tmp"; // an older influxbak's name, no process id
    String running = ".influxbak-" + ProcessHandle.current().pid() + "-cd34-2.tmp";
    for (String name : List.of(dead, older, running)) {
      Files.writeString(wal.resolve(name), "partial");
    }
    Files.writeString(wal.resolve("00000000001.wal"), "idb3.001");

    try (FileSystemObjectStore store = FileSystemObjectStore.open(root)) {
      assertThat(store.incompleteWrites(KeyPrefix.of("node0")))
          .containsExactlyInAnyOrder(
              ObjectKey.of("node0/wal/" + dead), ObjectKey.of("node0/wal/" + older));
      assertThat(StoreKeys.under(store, KeyPrefix.ROOT))
          .containsExactly(ObjectKey.of("node0/wal/00000000001.wal"));

      assertThat(store.removeIncompleteWrites(KeyPrefix.of("node0"))).hasSize(2);
    }
    assertThat(names(root)).containsExactlyInAnyOrder("00000000001.wal", running);
  }

  @Test
  void checkReportsThem_restoreReplaceRemovesThem() throws Exception {
    Path data = Files.createDirectories(base.resolve("data"));
    Path backups = Files.createDirectories(base.resolve("backups"));
    try (FileSystemObjectStore source = FileSystemObjectStore.open(data);
        FileSystemObjectStore destination = FileSystemObjectStore.open(backups)) {
      CoreNodeArbitraries.build(NodeId.of("node0"), 1, 2, 2, 2, List.of(CatalogGeneration.V3), 0, 3)
          .writeTo(source);
      BackupPlan.core("node0")
          .withOptions(BackupOptions.builder().backupId("b").build())
          .execute(source, destination);
      // A restore into the data directory was killed mid-copy: its temporary file stayed.
      String stray = ".influxbak-" + exitedProcessId() + "-ee-3.tmp";
      Files.writeString(data.resolve("node0/wal/" + stray), "half a WAL file");

      ConsistencyReport check =
          ConsistencyCheck.check(
              source, KeyPrefix.ROOT, NodeId.of("node0"), ConsistencyCheck.Source.LIVE);
      assertThat(check.findings())
          .filteredOn(f -> f.key().toString().endsWith(stray))
          .singleElement()
          .satisfies(f -> assertThat(f.severity()).isEqualTo(Finding.Severity.WARNING));

      RestoreResult restore =
          RestorePlan.of("b")
              .withOptions(RestoreOptions.builder().replaceExisting().build())
              .execute(destination, source);

      assertThat(restore.reported())
          .filteredOn(r -> r.disposition() == ReportedObject.Disposition.DELETED)
          .extracting(r -> r.key().toString())
          .contains("node0/wal/" + stray);
    }
    assertThat(names(data)).noneMatch(name -> name.startsWith(".influxbak-"));
  }

  private static long exitedProcessId() throws Exception {
    Process process = new ProcessBuilder("true").start();
    process.waitFor();
    return process.pid();
  }

  private static List<String> names(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).toList();
    }
  }
}
