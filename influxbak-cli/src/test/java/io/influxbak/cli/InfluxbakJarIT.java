package io.influxbak.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.influxbak.examples.SampleNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The packaged jar, run as a user would: backup then restore, in separate processes. */
class InfluxbakJarIT {
  @TempDir Path work;

  private record Outcome(int exit, String out, String err) {}

  private static Outcome influxbak(String... args) throws IOException, InterruptedException {
    return influxbak(Map.of(), args);
  }

  /** The jar run with {@code args}, {@code environment} added to this process's. */
  private static Outcome influxbak(Map<String, String> environment, String... args)
      throws IOException, InterruptedException {
    String jar = System.getProperty("influxbak.jar");
    assertThat(jar).as("system property influxbak.jar, set by the build").isNotNull();
    assertThat(Path.of(jar)).exists();
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    // The S3 region comes from the command line only, whatever this machine's environment says.
    builder.environment().remove("AWS_REGION");
    builder.environment().remove("AWS_DEFAULT_REGION");
    builder.environment().keySet().removeIf(k -> k.startsWith("INFLUXBAK_"));
    builder.environment().putAll(environment);
    Process process = builder.start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Outcome(
        process.exitValue(),
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  /**
   * Each cloud scheme, pointed at a port where nothing listens: the jar holds every class the
   * adapter's SDK loads on its way to the network (a class left out of the shaded jar fails here
   * with NoClassDefFoundError), and the failure is one line naming the store, with no secret.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "s3://bucket/prefix|s3.region=us-east-1,s3.access-key-id=AKIDEXAMPLE,s3.secret-access-key=c2VjcmV0LXMz,s3.max-attempts=1",
        "az://container/prefix|azure.account=dev,azure.account-key=c2VjcmV0LWF6,azure.max-attempts=1",
        "gs://bucket/prefix|gcs.no-credentials=true,gcs.max-attempts=1",
        "gs://bucket/prefix|gcs.credentials-file=/nonexistent/key.json"
      })
  void packagedJar_everyCloudScheme_reachesTheNetworkAndFailsInOneLine(String store)
      throws Exception {
    String[] parts = store.split("\\|");
    Outcome list =
        influxbak(
            "list",
            "--backups",
            parts[0],
            "--backups-endpoint",
            parts[0].startsWith("az:") ? "http://127.0.0.1:9/dev" : "http://127.0.0.1:9",
            "--backups-property",
            parts[1]);
    assertThat(list.exit()).as(list.err()).isEqualTo(ExitCodes.FAILURE);
    assertThat(list.err())
        .startsWith("influxbak: error: ")
        .doesNotContain("NoClassDefFoundError", "ClassNotFoundException", "Exception in thread")
        .doesNotContain("c2VjcmV0");
    assertThat(list.err().strip().lines()).hasSize(1);
  }

  /**
   * S3 without a region: the SDK's region chain runs (loading classes of its own JSON parser, which
   * a shaded jar once lacked), and the operator reads which setting to give.
   */
  @Test
  void packagedJar_s3WithoutRegion_namesTheSetting() throws Exception {
    Outcome list =
        influxbak(
            "list",
            "--backups",
            "s3://bucket/prefix",
            "--backups-property",
            "s3.access-key-id=AKIDEXAMPLE,s3.secret-access-key=c2VjcmV0LXMz");
    assertThat(list.exit()).as(list.err()).isEqualTo(ExitCodes.FAILURE);
    assertThat(list.err())
        .startsWith("influxbak: error: Cannot open s3://bucket/prefix: no region")
        .contains("s3.region")
        .doesNotContain("NoClassDefFoundError", "@", "c2VjcmV0");
    assertThat(list.err().strip().lines()).hasSize(1);
  }

  /**
   * The log level as the options give it, wherever they come from: warn by default (the decisions
   * stay out of stderr), info with --verbose or INFLUXBAK_LOG_LEVEL, and --log-level over
   * --verbose.
   */
  @Test
  void packagedJar_logLevel_fromFlagsAndEnvironment() throws Exception {
    Path data = Files.createDirectories(work.resolve("data"));
    SampleNode.create(data, "node0");
    String[] list = {"list", "--backups", data.toString()};
    String[] check = {"check", "--source", data.toString(), "--node", "node0"};
    assertThat(influxbak(check).err()).doesNotContain("[INFO]");
    String backup = "backup --source " + data + " --backups " + work.resolve("b") + " --node node0";
    assertThat(influxbak(backup.split(" ")).err()).doesNotContain("[INFO]");
    assertThat(influxbak((backup + " --verbose").split(" ")).err())
        .contains("[INFO] BackupRun - Backup ");
    assertThat(influxbak(Map.of("INFLUXBAK_LOG_LEVEL", "info"), backup.split(" ")).err())
        .contains("[INFO] BackupRun - Backup ");
    assertThat(influxbak((backup + " --verbose --log-level error").split(" ")).err())
        .doesNotContain("[INFO]");
    assertThat(influxbak(list).exit()).isZero();
  }

  @Test
  void packagedJar_backupThenRestore_endToEnd() throws Exception {
    Path data = Files.createDirectories(work.resolve("data"));
    Path backups = Files.createDirectories(work.resolve("backups"));
    Path restored = Files.createDirectories(work.resolve("restored"));
    SampleNode.create(data, "node0");

    Outcome backup =
        influxbak(
            "backup",
            "--source",
            data.toUri().toString(),
            "--backups",
            backups.toUri().toString(),
            "--node",
            "node0",
            "--backup-id",
            "jar");
    assertThat(backup.exit()).as(backup.err()).isZero();
    assertThat(backup.out()).contains("Backup jar complete: 19 objects");
    // stderr is a pipe here, not a terminal: progress comes as plain lines, never a redrawn bar.
    assertThat(backup.err()).doesNotContain("\r").contains("PARQUET: done");
    assertThat(backup.err())
        .contains("WAL: done, 8 objects"); // stderr is not a terminal here: plain lines

    Outcome verify =
        influxbak(
            "verify", "--backups", backups.toUri().toString(), "--backup-id", "jar", "--deep");
    assertThat(verify.exit()).as(verify.err()).isZero();
    assertThat(verify.out()).contains("Deep verify of jar: 19 objects checked").contains("intact");

    Outcome restore =
        influxbak(
            "restore",
            "--backups",
            backups.toUri().toString(),
            "--target",
            restored.toUri().toString(),
            "--backup-id",
            "jar");
    assertThat(restore.exit()).as(restore.err()).isZero();
    assertThat(PathUtils.directoryAndFileContentEquals(data, restored)).isTrue();

    Outcome check = influxbak("check", "--source", restored.toUri().toString(), "--node", "node0");
    assertThat(check.exit()).as(check.out()).isZero();
    assertThat(check.out()).contains("Node node0: consistent");

    Outcome usage = influxbak("restore", "--target", restored.toUri().toString());
    assertThat(usage.exit()).isEqualTo(ExitCodes.USAGE);
  }

  /**
   * SIGTERM (what Kubernetes sends) during a backup cancels it cleanly: exit 143, the journal
   * records what was copied, no temporary file is left, and a resume keeps those objects.
   */
  @Test
  void packagedJar_sigtermDuringBackup_cancelsCleanlyAndResumeKeepsTheWork() throws Exception {
    Path data = Files.createDirectories(work.resolve("data"));
    Path backups = Files.createDirectories(work.resolve("backups"));
    SampleNode.create(data, "node0");
    byte[] payload = new byte[64 << 10];
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(payload);
    byte[] wal =
        java.nio.ByteBuffer.allocate(8 + 4 + payload.length)
            .put("idb3.001".getBytes(StandardCharsets.US_ASCII))
            .putInt((int) crc.getValue())
            .put(payload)
            .array();
    for (int i = 0; i < 3000; i++) {
      // WAL files after the sample's snapshot: enough work that the signal lands mid-backup
      Files.write(data.resolve(String.format("node0/wal/%011d.wal", 1000 + i)), wal);
    }
    String jar = System.getProperty("influxbak.jar");
    Process backup =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar,
                "backup",
                "--source",
                data.toUri().toString(),
                "--backups",
                backups.toUri().toString(),
                "--node",
                "node0",
                "--backup-id",
                "signalled",
                "--parallelism",
                "1",
                "--progress",
                "plain")
            .redirectErrorStream(true)
            .start();
    StringBuilder output = new StringBuilder();
    try (var lines =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(backup.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        output.append(line).append('\n');
        if (line.startsWith("WAL: 30")) {
          // The WAL phase (3,000 files, one at a time) has started: earlier phases' objects are
          // copied and the run is mid-copy.
          backup.toHandle().destroy(); // SIGTERM, the output still read to its end
        }
      }
    }
    assertThat(backup.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(backup.exitValue()).as(output.toString()).isEqualTo(143);
    assertThat(output.toString()).contains("Cancelled");
    try (var journal = Files.list(backups.resolve("signalled/journal"))) {
      assertThat(journal.count()).as("journal chunks written on the way out").isPositive();
    }
    try (var files = Files.walk(backups)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .noneMatch(name -> name.startsWith(".influxbak-"));
    }

    Outcome resumed =
        influxbak(
            "backup",
            "--source",
            data.toUri().toString(),
            "--backups",
            backups.toUri().toString(),
            "--node",
            "node0",
            "--resume",
            "signalled",
            "--progress",
            "none");
    assertThat(resumed.exit()).as(resumed.err()).isZero();
    assertThat(resumed.out()).containsPattern("[1-9][0-9]* kept from the interrupted run");
  }
}
