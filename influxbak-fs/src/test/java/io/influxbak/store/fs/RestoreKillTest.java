package io.influxbak.store.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.consistency.ConsistencyCheck;
import io.influxbak.restore.RestoreOptions;
import io.influxbak.restore.RestorePlan;
import io.influxbak.store.testing.CrashingObjectStore;
import io.influxbak.transfer.RetryPolicy;
import io.influxbak.transfer.TransferSettings;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A fresh restore creates its objects in place in the node prefix it has claimed (its lease and
 * restore marker), so a killed one can leave an object partial under its own name: the marker
 * stays, and a resume ends with the backup's node, byte for byte, with no marker and no temporary
 * file.
 */
class RestoreKillTest {
  private final Path base = Files.createTempDirectory("influxbak-restore-kill");

  RestoreKillTest() throws IOException {}

  @AfterEach
  void cleanUp() throws IOException {
    PathUtils.deleteDirectory(base);
  }

  @Test
  void restoreKilledAtRandomMoments_leavesItsMarker_resumeEndsWithTheBackedUpNode()
      throws Exception {
    Path source = CrashTest.writeNode(base);
    Path backups = backUp(source);
    Random random = new Random(20261203);
    int killedMidway = 0;
    for (int round = 0; round < 4; round++) {
      Path target = Files.createDirectory(base.resolve("restored-" + round));
      Process child =
          CrashChild.start(
              List.of(), List.of("restore", backups.toString(), target.toString(), "b"));
      if (CrashTest.killAfterCopies(child, 1 + random.nextInt(120))) {
        killedMidway++;
        assertThat(target.resolve("node0").resolve(ConsistencyCheck.RESTORE_MARKER))
            .as("the marker of the restore killed in round %s", round)
            .exists();
        resume(backups, target);
      }
      assertSameNode(backups.resolve("b"), target);
    }
    assertThat(killedMidway)
        .as("rounds whose kill landed before the restore finished")
        .isPositive();
  }

  /**
   * What a kill during an object's copy leaves, made on purpose: the restore stopped part-way (a
   * crash of its target store), then one restored Parquet file cut to half its size under its own
   * name. The resume copies it again.
   */
  @Test
  void resume_copiesAgainAnObjectLeftPartialUnderItsName() throws Exception {
    Path source = CrashTest.writeNode(base);
    Path backups = backUp(source);
    Path target = Files.createDirectory(base.resolve("restored"));
    try (FileSystemObjectStore backupStore = FileSystemObjectStore.open(backups);
        FileSystemObjectStore targetStore = FileSystemObjectStore.open(target)) {
      RestoreOptions once =
          RestoreOptions.builder()
              .transfer(TransferSettings.builder().retryPolicy(RetryPolicy.NONE).build())
              .build();
      assertThatThrownBy(
              () ->
                  RestorePlan.of("b")
                      .withOptions(once)
                      .execute(backupStore, new CrashingObjectStore(targetStore, 60)))
          .isInstanceOf(IOException.class);
    }
    Optional<Path> restored;
    try (Stream<Path> files = Files.walk(target.resolve("node0"))) {
      restored =
          files
              .filter(f -> f.toString().endsWith(".parquet") && f.toFile().length() > 1)
              .findFirst();
    }
    assertThat(restored).as("a Parquet file restored before the crash").isPresent();
    try (RandomAccessFile cut = new RandomAccessFile(restored.get().toFile(), "rw")) {
      cut.setLength(cut.length() / 2);
    }
    resume(backups, target);
    assertSameNode(backups.resolve("b"), target);
  }

  private Path backUp(Path source) throws IOException {
    Path backups = Files.createDirectory(base.resolve("backups"));
    try (FileSystemObjectStore from = FileSystemObjectStore.open(source);
        FileSystemObjectStore to = FileSystemObjectStore.open(backups)) {
      BackupPlan.core("node0")
          .withOptions(BackupOptions.builder().backupId("b").build())
          .execute(from, to);
    }
    return backups;
  }

  private static void resume(Path backups, Path target) throws IOException {
    try (FileSystemObjectStore backupStore = FileSystemObjectStore.open(backups);
        FileSystemObjectStore targetStore = FileSystemObjectStore.open(target)) {
      RestorePlan.of("b")
          .withOptions(RestoreOptions.builder().resume().lease(CrashTest.hoursAhead(1)).build())
          .execute(backupStore, targetStore);
    }
  }

  /**
   * The node under {@code target} has exactly the files of the one under {@code backupRoot} (the
   * pinned backup's objects, stored as they are), with their bytes.
   */
  private static void assertSameNode(Path backupRoot, Path target) throws IOException {
    Map<String, byte[]> expected = FileSystemBackupEndToEndTest.tree(backupRoot.resolve("node0"));
    Map<String, byte[]> actual = FileSystemBackupEndToEndTest.tree(target.resolve("node0"));
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    expected.forEach((name, bytes) -> assertThat(actual.get(name)).as(name).isEqualTo(bytes));
  }
}
