package io.influxbak.store.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.testing.CoreNodeArbitraries;
import io.influxbak.repository.BackupRepository;
import io.influxbak.repository.BackupSummary;
import io.influxbak.restore.RestorePlan;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.WriteMode;
import io.influxbak.verify.BackupVerifier;
import io.influxbak.verify.VerifyFinding;
import io.influxbak.verify.VerifyReport;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A FIFO or a socket where an object should be, in the source, in a backup and as a manifest: every
 * operation refuses it with a typed error naming it, within bounded time (opening a FIFO for
 * reading would block until a writer came).
 */
class NotRegularFileTest {
  private static final Duration BOUND = Duration.ofSeconds(30);

  @TempDir Path base;

  @AfterEach
  void cleanUp() throws IOException {
    PathUtils.deleteDirectory(base);
  }

  @Test
  void storeOpenStatCopy_fifoAndSocket_refusedTypedWithoutBlocking() throws Exception {
    Path root = Files.createDirectories(base.resolve("store/node0/wal"));
    mkfifo(root.resolve("00000000001.wal"));
    try (ServerSocketChannel socket = socket(root.resolve("00000000002.wal"));
        FileSystemObjectStore store = FileSystemObjectStore.open(base.resolve("store"))) {
      for (String name : List.of("00000000001.wal", "00000000002.wal")) {
        ObjectKey key = ObjectKey.of("node0/wal/" + name);
        assertTimeoutPreemptively(
            BOUND,
            () -> {
              assertThatThrownBy(() -> store.open(key).close())
                  .isInstanceOf(UnsafePathException.class)
                  .hasMessageContaining(key.toString())
                  .hasMessageContaining("not a regular file");
              assertThatThrownBy(() -> store.copy(key, ObjectKey.of("copy"), WriteMode.CREATE_NEW))
                  .isInstanceOf(UnsafePathException.class)
                  .hasMessageContaining(key.toString());
            });
        assertThat(store.stat(ObjectKey.of("copy"))).isEmpty();
      }
    }
  }

  @Test
  void backup_fifoInTheSourceNode_failsTypedNamingIt() throws Exception {
    Path data = Files.createDirectories(base.resolve("data"));
    Path backups = Files.createDirectories(base.resolve("backups"));
    try (FileSystemObjectStore source = FileSystemObjectStore.open(data);
        FileSystemObjectStore destination = FileSystemObjectStore.open(backups)) {
      node().writeTo(source);
      mkfifo(data.resolve("node0/wal/00000000099.wal"));

      assertTimeoutPreemptively(
          BOUND,
          () ->
              assertThatThrownBy(
                      () ->
                          BackupPlan.core("node0")
                              .withOptions(BackupOptions.builder().backupId("b").build())
                              .execute(source, destination))
                  .hasStackTraceContaining("node0/wal/00000000099.wal")
                  .hasStackTraceContaining("not a regular file"));
    }
  }

  @Test
  void fifoInABackup_asObjectAndAsManifest_verifyListRestoreRefuseIt() throws Exception {
    Path data = Files.createDirectories(base.resolve("data"));
    Path backups = Files.createDirectories(base.resolve("backups"));
    try (FileSystemObjectStore source = FileSystemObjectStore.open(data);
        FileSystemObjectStore destination = FileSystemObjectStore.open(backups);
        FileSystemObjectStore target =
            FileSystemObjectStore.open(Files.createDirectories(base.resolve("restored")))) {
      node().writeTo(source);
      for (String id : List.of("object", "manifest")) {
        BackupPlan.core("node0")
            .withOptions(BackupOptions.builder().backupId(id).build())
            .execute(source, destination);
      }
      Path wal = firstWal(backups.resolve("object"));
      Files.delete(wal);
      mkfifo(wal);
      Files.delete(backups.resolve("manifest/manifest.json"));
      mkfifo(backups.resolve("manifest/manifest.json"));

      assertTimeoutPreemptively(
          BOUND,
          () -> {
            VerifyReport deep = BackupVerifier.deep(destination, "object", 2);
            assertThat(deep.findings())
                .singleElement()
                .satisfies(
                    f -> {
                      assertThat(f.problem()).isEqualTo(VerifyFinding.Problem.UNREADABLE);
                      assertThat(f.detail()).contains("not a regular file");
                    });
            // Refused by the restore's check before its first write (the FIFO lists with size 0).
            assertThatThrownBy(() -> RestorePlan.of("object").execute(destination, target))
                .isInstanceOf(io.influxbak.restore.BackupDamagedException.class)
                .hasMessageContaining("node0/wal/");
            assertThat(io.influxbak.store.testing.StoreKeys.under(target, KeyPrefix.ROOT))
                .isEmpty();

            assertThat(BackupRepository.of(destination).list())
                .filteredOn(b -> b.backupId().equals("manifest"))
                .singleElement()
                .satisfies(
                    b -> {
                      assertThat(b.state()).isEqualTo(BackupSummary.State.UNREADABLE);
                      assertThat(b.problem().orElseThrow()).contains("not a regular file");
                    });
            assertThat(BackupVerifier.shallow(destination, "manifest").findings())
                .singleElement()
                .satisfies(
                    f -> assertThat(f.problem()).isEqualTo(VerifyFinding.Problem.UNREADABLE));
            assertThatThrownBy(() -> RestorePlan.of("manifest").execute(destination, target))
                .isInstanceOf(UnsafePathException.class)
                .hasMessageContaining("manifest/manifest.json");
          });
    }
  }

  /**
   * A backup root that is a symbolic link (even to another backup in the same store) is not a
   * backup: list leaves it out, stat finds nothing under it, verify finds no manifest, restore
   * finds no backup, and open refuses to read through it. Before, shallow verify called every
   * object missing while deep verify read them through the link and called the backup intact.
   */
  @Test
  void backupRootThatIsASymbolicLink_oneVerdictEverywhere() throws Exception {
    Path data = Files.createDirectories(base.resolve("data"));
    Path backups = Files.createDirectories(base.resolve("backups"));
    try (FileSystemObjectStore source = FileSystemObjectStore.open(data);
        FileSystemObjectStore destination = FileSystemObjectStore.open(backups);
        FileSystemObjectStore target =
            FileSystemObjectStore.open(Files.createDirectories(base.resolve("restored")))) {
      node().writeTo(source);
      BackupPlan.core("node0")
          .withOptions(BackupOptions.builder().backupId("real").build())
          .execute(source, destination);
      Files.createSymbolicLink(backups.resolve("linked"), backups.resolve("real"));

      assertThat(BackupRepository.of(destination).list())
          .extracting(BackupSummary::backupId)
          .containsExactly("real");
      assertThat(destination.stat(ObjectKey.of("linked/manifest.json"))).isEmpty();
      for (VerifyReport report :
          List.of(
              BackupVerifier.shallow(destination, "linked"),
              BackupVerifier.deep(destination, "linked", 2))) {
        assertThat(report.passed()).isFalse();
        assertThat(report.findings())
            .singleElement()
            .satisfies(f -> assertThat(f.problem()).isEqualTo(VerifyFinding.Problem.NO_MANIFEST));
      }
      assertThatThrownBy(() -> RestorePlan.of("linked").execute(destination, target))
          .isInstanceOf(io.influxbak.repository.BackupNotFoundException.class);
      // Nothing was read through the link either: opening a key under it is refused outright.
      assertThatThrownBy(() -> destination.open(ObjectKey.of("linked/manifest.json")).close())
          .isInstanceOf(UnsafePathException.class)
          .hasMessageContaining("symbolic link linked");
    }
  }

  private static io.influxbak.layout.testing.GeneratedNode node() {
    return CoreNodeArbitraries.build(
        NodeId.of("node0"), 1, 2, 2, 2, List.of(CatalogGeneration.V3), 0, 7);
  }

  private static Path firstWal(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(f -> f.toString().endsWith(".wal")).findFirst().orElseThrow();
    }
  }

  private static void mkfifo(Path path) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
    assertThat(process.waitFor()).as("mkfifo %s", path).isZero();
  }

  private static ServerSocketChannel socket(Path path) throws IOException {
    ServerSocketChannel channel = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
    channel.bind(UnixDomainSocketAddress.of(path));
    return channel;
  }
}
