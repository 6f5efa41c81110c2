package io.influxbak.store.fs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.influxbak.backup.BackupPlan;
import io.influxbak.backup.BackupResult;
import io.influxbak.layout.CopyPhase;
import io.influxbak.layout.ObjectKind;
import io.influxbak.layout.testing.InfluxFiles;
import io.influxbak.restore.RestorePlan;
import io.influxbak.restore.RestoreResult;
import io.influxbak.transfer.ReportedObject;
import io.influxbak.transfer.TransferSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Backup and restore on the real file system of a data directory shaped like a real one: two nodes
 * (a store started on 3.0 and one started on 3.4) built from the real snapshot and catalog files in
 * the fixtures, with every Parquet file those snapshots name at the size they record, framed WAL
 * files, staging files and an unknown object.
 */
class FileSystemBackupEndToEndTest {
  private final Path base = Files.createTempDirectory("influxbak-e2e");
  private final Path dataDir = Files.createDirectory(base.resolve("data"));
  private final Path backupDir = Files.createDirectory(base.resolve("backups"));
  private final Path restoreDir = Files.createDirectory(base.resolve("restored"));

  FileSystemBackupEndToEndTest() throws IOException {}

  @AfterEach
  void cleanUp() throws IOException {
    PathUtils.deleteDirectory(base);
  }

  @Test
  void backupAndRestore_realLayoutOfTwoEras_reproducesEveryIncludedFile() throws IOException {
    buildNode(
        "v3.0/node30",
        "node30",
        new String[] {"catalogs/00000000000000000001.catalog", "_catalog_checkpoint"});
    buildNode(
        "v3.4/node34",
        "node34",
        new String[] {"catalog/v2/logs/00000000000000000002.catalog", "catalog/v2/snapshot"});
    // An unfinished upload of the file store, and a file no InfluxDB version writes.
    Files.writeString(dataDir.resolve("node34/wal/00000000015.wal#2"), "partial");
    Files.writeString(dataDir.resolve("node34/operator-notes.txt"), "do not delete");
    Map<String, byte[]> before = tree(dataDir);

    try (FileSystemObjectStore data = FileSystemObjectStore.open(dataDir);
        FileSystemObjectStore backups = FileSystemObjectStore.open(backupDir);
        FileSystemObjectStore restored = FileSystemObjectStore.open(restoreDir)) {
      BackupResult node30 =
          BackupPlan.core("node30").withOptions(options("nightly-30")).execute(data, backups);
      BackupResult node34 =
          BackupPlan.core("node34").withOptions(options("nightly-34")).execute(data, backups);
      RestoreResult restore30 = RestorePlan.of("nightly-30").execute(backups, restored);
      RestoreResult restore34 = RestorePlan.of("nightly-34").execute(backups, restored);

      assertThat(node30.objectCount()).isEqualTo(2 + 24 + 14 + 2);
      assertThat(
              node30.phases().stream()
                  .filter(p -> p.phase() == CopyPhase.PARQUET)
                  .findFirst()
                  .orElseThrow()
                  .objects())
          .isEqualTo(24);
      assertThat(node34.reported())
          .extracting(ReportedObject::key, ReportedObject::disposition)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple(
                  io.influxbak.store.ObjectKey.of("node34/wal/00000000015.wal#2"),
                  ReportedObject.Disposition.EXCLUDED),
              org.assertj.core.groups.Tuple.tuple(
                  io.influxbak.store.ObjectKey.of("node34/operator-notes.txt"),
                  ReportedObject.Disposition.COPIED_UNKNOWN));
      assertThat(restore30.objectCount() + restore34.objectCount())
          .isEqualTo(node30.objectCount() + node34.objectCount());
      assertThat(restore34.objects())
          .anySatisfy(o -> assertThat(o.kind()).isEqualTo(ObjectKind.UNKNOWN));
    }

    Map<String, byte[]> expected = new TreeMap<>(before);
    expected.remove("node34/wal/00000000015.wal#2");
    Map<String, byte[]> after = tree(restoreDir);
    assertThat(after.keySet()).containsExactlyElementsOf(expected.keySet());
    expected.forEach((path, bytes) -> assertThat(after.get(path)).as(path).isEqualTo(bytes));
    assertThat(tree(dataDir).keySet())
        .containsExactlyElementsOf(before.keySet()); // the source is never modified
    assertThat(tree(backupDir).keySet())
        .allMatch(
            p ->
                p.startsWith("nightly-30/node30/")
                    || p.startsWith("nightly-34/node34/")
                    || p.matches("nightly-3[04]/(manifest|backup-started)\\.json"))
        .contains("nightly-30/manifest.json", "nightly-34/manifest.json");
  }

  private static io.influxbak.backup.BackupOptions options(String backupId) {
    return io.influxbak.backup.BackupOptions.builder()
        .transfer(TransferSettings.builder().parallelism(4).build())
        .backupId(backupId)
        .build();
  }

  /**
   * Copies a fixture node's snapshot and catalog files and creates the Parquet and WAL files they
   * imply.
   */
  private void buildNode(String fixture, String node, String[] catalogFiles) throws IOException {
    Path nodeDir = Files.createDirectories(dataDir.resolve(node));
    ObjectMapper json = new ObjectMapper();
    long maxWal = 0;
    for (String snapshot :
        new String[] {"18446744073709551614.info.json", "18446744073709551613.info.json"}) {
      byte[] bytes = fixture(fixture + "/snapshots/" + snapshot);
      write(nodeDir.resolve("snapshots/" + snapshot), bytes);
      JsonNode root = json.readTree(bytes);
      maxWal = Math.max(maxWal, root.get("wal_file_sequence_number").asLong());
      for (JsonNode database : root.get("databases")) {
        for (JsonNode table : database.get(1).get("tables")) {
          for (JsonNode file : table.get(1)) {
            String path = file.get("path").asText();
            write(
                dataDir.resolve(path),
                InfluxFiles.parquet(file.get("size_bytes").asInt(), file.get("id").asLong()));
          }
        }
      }
    }
    for (String catalog : catalogFiles) {
      write(nodeDir.resolve(catalog), fixture(fixture + "/" + catalog));
    }
    for (long wal = 1; wal <= maxWal + 2; wal++) {
      write(
          nodeDir.resolve(String.format("wal/%011d.wal", wal)),
          InfluxFiles.wal(("batch " + wal).getBytes(StandardCharsets.UTF_8)));
    }
  }

  private static byte[] fixture(String path) throws IOException {
    try (InputStream in =
        FileSystemBackupEndToEndTest.class.getResourceAsStream("/fixtures/upstream/" + path)) {
      assertThat(in).as("fixture " + path).isNotNull();
      return in.readAllBytes();
    }
  }

  private static void write(Path path, byte[] bytes) throws IOException {
    Files.createDirectories(path.getParent());
    Files.write(path, bytes);
  }

  /** Every regular file under {@code root}, by its path relative to it, with its bytes. */
  static Map<String, byte[]> tree(Path root) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        files.put(root.relativize(path).toString(), Files.readAllBytes(path));
      }
    }
    return files;
  }
}
