package io.influxbak.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.influxbak.backup.testing.BackupScenarios;
import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.testing.SimulatedCoreServer;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.StoreLocation;
import io.influxbak.store.testing.StoreKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spark-submit entry point, run as spark-submit runs it: its own Spark application. */
class SparkInfluxbakTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    out.reset();
    err.reset();
    return SparkInfluxbak.run(
        args,
        new SparkConf()
            .setMaster("local[2]")
            .set("spark.ui.enabled", "false")
            .set("spark.driver.host", "127.0.0.1")
            .set("spark.driver.bindAddress", "127.0.0.1"),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** A simulated Core node, node0, in a new directory. */
  private Path node(long seed) throws IOException {
    Path data = Files.createDirectories(dir.resolve("data"));
    try (ObjectStore store = StoreLocation.of(data.toUri()).open()) {
      SimulatedCoreServer server =
          new SimulatedCoreServer(store, NodeId.of("node0"), CatalogGeneration.V3, seed);
      server.queue(BackupScenarios.HISTORY);
      server.drain();
    }
    return data;
  }

  @Test
  void backupVerifyRestore_withTheCommandLinesOptions_onSpark() throws IOException {
    Path data = node(41);
    String backups = dir.resolve("backups").toString();

    assertThat(
            run(
                "backup",
                "--source",
                data.toString(),
                "--backups",
                backups,
                "--node",
                "node0",
                "--backup-id",
                "s1"))
        .as(err())
        .isZero();
    assertThat(out()).contains("Backup s1 complete");
    assertThat(run("verify", "--backups", backups, "--backup-id", "s1", "--deep"))
        .as(err())
        .isZero();

    Path target = dir.resolve("restored");
    assertThat(
            run(
                "restore",
                "--backups",
                backups,
                "--backup-id",
                "s1",
                "--target",
                target.toString()))
        .as(err())
        .isZero();
    assertThat(out()).contains("Restore of s1 complete");
    try (ObjectStore original = StoreLocation.of(data.toUri()).open();
        ObjectStore restored = StoreLocation.of(target.toUri()).open()) {
      List<ObjectKey> keys = StoreKeys.under(restored, KeyPrefix.ROOT);
      assertThat(keys).isNotEmpty();
      for (ObjectKey key : keys) {
        try (InputStream a = original.open(key);
            InputStream b = restored.open(key)) {
          assertThat(b.readAllBytes()).as("%s", key).isEqualTo(a.readAllBytes());
        }
      }
    }
  }

  @Test
  void encryptedBackup_isRefused_exitOne_namingWhy_nothingWritten() throws IOException {
    Path data = node(43);
    Path key = dir.resolve("key");
    assertThat(run("generate-key", "--out", key.toString())).as(err()).isZero();
    Path backups = dir.resolve("backups");

    int code =
        run(
            "backup",
            "--source",
            data.toString(),
            "--backups",
            backups.toString(),
            "--node",
            "node0",
            "--encrypt",
            "--key",
            "file:" + key);

    assertThat(code).isEqualTo(1);
    assertThat(err()).contains("data key").contains("one process");
    try (var files = Files.walk(backups)) {
      assertThat(files.filter(Files::isRegularFile)).isEmpty();
    }
  }
}
