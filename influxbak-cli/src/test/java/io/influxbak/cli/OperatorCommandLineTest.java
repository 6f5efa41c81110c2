package io.influxbak.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.influxbak.examples.SampleNode;
import io.influxbak.transfer.CancellationHandle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as a scheduled job uses it: plain paths, missing directories, defaults from the
 * environment and a configuration file, settings per store end, secrets from files, metrics files,
 * quiet runs, usage errors with suggestions, version, man page and completion.
 */
class OperatorCommandLineTest {
  @TempDir Path work;
  private Path data;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void sampleNode() throws IOException {
    data = Files.createDirectories(work.resolve("data"));
    SampleNode.create(data, "node0");
  }

  private int run(Map<String, String> environment, String... args) {
    out.reset();
    err.reset();
    return Influxbak.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        false,
        new CancellationHandle(),
        environment);
  }

  /** {@code backup --source <data> --backups <backups> --node node0}, then {@code more}. */
  private int backupNode0(Path backups, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "backup",
                "--source",
                data.toString(),
                "--backups",
                backups.toString(),
                "--node",
                "node0"));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  private int run(String... args) {
    return run(Map.of("XDG_CONFIG_HOME", work.resolve("no-config").toString()), args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void plainPaths_andAMissingBackupsDirectory_created() {
    Path backups = work.resolve("not/yet/there");
    assertThat(backupNode0(backups, "--backup-id", "b1", "--progress", "none")).as(err()).isZero();
    assertThat(backups.resolve("b1/manifest.json")).exists();
    Path target = work.resolve("restored/fresh");
    assertThat(
            run(
                "restore",
                "--backups",
                backups.toString(),
                "--target",
                target.toString(),
                "--backup-id",
                "b1",
                "--progress",
                "none"))
        .as(err())
        .isZero();
    assertThat(target.resolve("node0")).isDirectory();
  }

  /** A backup of node0 from {@code source} into a directory of the work tree. */
  private int backupFrom(String source) {
    return run(
        "backup", "--source", source, "--backups", work.resolve("b").toString(), "--node", "node0");
  }

  @Test
  void missingSource_oneLineNamingTheEnd_andNothingCreated() {
    Path missing = work.resolve("no-such-node-store");
    assertThat(backupFrom(missing.toString())).isEqualTo(ExitCodes.FAILURE);
    assertThat(err().strip().lines()).hasSize(1);
    assertThat(err())
        .contains(missing.toString())
        .contains("--source is not an existing directory");
    assertThat(missing).doesNotExist();
  }

  @Test
  void relativeFileUri_oneLineNamingTheEndAndTheForms() {
    assertThat(backupFrom("file:data")).isEqualTo(ExitCodes.FAILURE);
    assertThat(err().strip().lines()).hasSize(1);
    assertThat(err())
        .contains("--source file:data is neither a file: URI of an absolute path")
        .contains("file:///path")
        .contains("nor a plain path");
  }

  @Test
  void missingBackupsStore_forVerify_oneLineNamingTheEnd() {
    Path missing = work.resolve("nothing-here");
    assertThat(run("verify", "--backups", missing.toString(), "--backup-id", "b1"))
        .isEqualTo(ExitCodes.FAILURE);
    assertThat(err()).contains("--backups is not an existing directory");
    assertThat(missing).doesNotExist();
  }

  @Test
  void storesAndOptions_fromTheEnvironment() {
    Path backups = work.resolve("env-backups");
    Map<String, String> environment =
        Map.of(
            "XDG_CONFIG_HOME", work.resolve("no-config").toString(),
            "INFLUXBAK_SOURCE", data.toString(),
            "INFLUXBAK_BACKUPS", backups.toString(),
            "INFLUXBAK_BACKUP_BACKUP_ID", "from-env",
            "INFLUXBAK_PROGRESS", "none");
    assertThat(run(environment, "backup", "--node", "node0")).as(err()).isZero();
    assertThat(backups.resolve("from-env/manifest.json")).exists();
    // The command line wins over the environment.
    assertThat(run(environment, "backup", "--node", "node0", "--backup-id", "from-args"))
        .as(err())
        .isZero();
    assertThat(backups.resolve("from-args/manifest.json")).exists();
    // The same variable serves every command: verify finds the backups without a flag.
    assertThat(run(environment, "verify", "--backup-id", "from-env")).as(err()).isZero();
  }

  @Test
  void configFile_commandKeysBeforePlainKeys_environmentBeforeFile() throws IOException {
    Path backups = work.resolve("cfg-backups");
    Path config = work.resolve("influxbak.properties");
    Files.writeString(
        config,
        "source="
            + data.toString().replace("\\", "\\\\")
            + "\nbackups="
            + backups.toString().replace("\\", "\\\\")
            + "\nbackup-id=plain-key\nbackup.backup-id=command-key\nprogress=none\n");
    Map<String, String> environment = Map.of("INFLUXBAK_CONFIG", config.toString());
    assertThat(run(environment, "backup", "--node", "node0")).as(err()).isZero();
    assertThat(backups.resolve("command-key/manifest.json")).exists();

    Map<String, String> both =
        Map.of("INFLUXBAK_CONFIG", config.toString(), "INFLUXBAK_BACKUP_ID", "env-wins");
    assertThat(run(both, "backup", "--node", "node0")).as(err()).isZero();
    assertThat(backups.resolve("env-wins/manifest.json")).exists();
  }

  @Test
  void namedConfigFileMissing_usageErrorNamingIt() {
    Path missing = work.resolve("nope.properties");
    assertThat(run(Map.of("INFLUXBAK_CONFIG", missing.toString()), "list", "--backups", "x"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err()).contains("INFLUXBAK_CONFIG").contains(missing.toString());
  }

  @Test
  void settingsPerEnd_overrideTheSharedOnes() {
    Path backups = work.resolve("per-end");
    assertThat(backupNode0(backups, "--progress", "none", "--store-property", "fs.sync=bogus"))
        .isEqualTo(ExitCodes.FAILURE);
    assertThat(err()).contains("fs.sync");
    assertThat(
            backupNode0(
                backups,
                "--progress",
                "none",
                "--store-property",
                "fs.sync=bogus",
                "--source-property",
                "fs.sync=none",
                "--backups-property",
                "fs.sync=fsync"))
        .as(err())
        .isZero();
  }

  @Test
  void settingFromAFile_readAndNeverPrinted() throws IOException {
    Path secret = work.resolve("sync-setting");
    Files.writeString(secret, "bogus-secret-value\n");
    assertThat(backupNode0(work.resolve("s"), "--backups-property", "fs.sync=file:" + secret))
        .isEqualTo(ExitCodes.FAILURE);
    // The value was read from the file (the store refused it) ...
    assertThat(err()).contains("fs.sync");
    // ... and a missing file is named, with the setting that reads it.
    assertThat(
            run(
                "list",
                "--backups",
                work.toString(),
                "--backups-property",
                "fs.sync=file:" + work.resolve("absent")))
        .isEqualTo(ExitCodes.FAILURE);
    assertThat(err()).contains("absent").contains("store setting fs.sync reads this file");
  }

  @Test
  void metricsFile_successThenFailure_keepsTheLastSuccessTime() throws IOException {
    Path backups = work.resolve("m");
    Path metrics = work.resolve("influxbak_backup.prom");
    assertThat(
            backupNode0(
                backups,
                "--backup-id",
                "m1",
                "--progress",
                "none",
                "--metrics-file",
                metrics.toString()))
        .as(err())
        .isZero();
    Properties first = gauges(metrics);
    assertThat(first.getProperty("influxbak_last_run_success")).isEqualTo("1");
    assertThat(Long.parseLong(first.getProperty("influxbak_objects"))).isPositive();
    assertThat(Long.parseLong(first.getProperty("influxbak_bytes_copied"))).isPositive();
    assertThat(Files.readString(metrics))
        .contains("# TYPE influxbak_last_success_timestamp_seconds gauge")
        .contains("{operation=\"backup\",subject=\"node0\"}");

    // The same backup id again: refused, and the file says so, keeping the last success time.
    assertThat(
            backupNode0(
                backups,
                "--backup-id",
                "m1",
                "--progress",
                "none",
                "--metrics-file",
                metrics.toString()))
        .isNotZero();
    Properties second = gauges(metrics);
    assertThat(second.getProperty("influxbak_last_run_success")).isEqualTo("0");
    assertThat(second.getProperty("influxbak_last_success_timestamp_seconds"))
        .isEqualTo(first.getProperty("influxbak_last_success_timestamp_seconds"));
    try (var files = Files.list(work)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  @Test
  void verifyMetrics_countFindings() throws IOException {
    Path backups = work.resolve("v");
    assertThat(backupNode0(backups, "--backup-id", "v1", "--progress", "none")).isZero();
    Path wal;
    try (var files = Files.walk(backups.resolve("v1/node0/wal"))) {
      wal = files.filter(Files::isRegularFile).findFirst().orElseThrow();
    }
    Files.write(wal, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
    Path metrics = work.resolve("verify.prom");
    assertThat(
            run(
                "verify",
                "--backups",
                backups.toString(),
                "--backup-id",
                "v1",
                "--deep",
                "--metrics-file",
                metrics.toString(),
                "--progress",
                "none"))
        .isEqualTo(ExitCodes.VERIFY_FAILED);
    Properties gauges = gauges(metrics);
    assertThat(gauges.getProperty("influxbak_findings")).isEqualTo("1");
    assertThat(gauges.getProperty("influxbak_passed")).isEqualTo("0");
    // A verify that found problems is not a success: no success time (there was none before).
    assertThat(gauges.getProperty("influxbak_last_run_success")).isEqualTo("0");
    assertThat(gauges.getProperty("influxbak_last_success_timestamp_seconds")).isNull();
  }

  @Test
  void quiet_printsNothingOnSuccess() {
    assertThat(backupNode0(work.resolve("q"), "--backup-id", "q1", "--quiet")).isZero();
    assertThat(out()).isEmpty();
    assertThat(err()).isEmpty();
    assertThat(
            run(
                "restore",
                "--backups",
                work.resolve("q").toString(),
                "--backup-id",
                "q1",
                "--target",
                work.resolve("q-restored").toString(),
                "--quiet"))
        .isZero();
    assertThat(out()).isEmpty();
    assertThat(err()).isEmpty();
    assertThat(
            run("prune", "--backups", work.resolve("q").toString(), "--keep-last", "1", "--quiet"))
        .isZero();
    assertThat(out()).isEmpty();
  }

  @Test
  void typo_suggestsTheCommandAndPointsToHelp() {
    assertThat(run("bakup", "--source", "x")).isEqualTo(ExitCodes.USAGE);
    assertThat(err())
        .contains("Did you mean")
        .contains("backup")
        .contains("Try 'influxbak --help'");
    assertThat(err()).doesNotContain("Usage:");

    assertThat(run("verify", "--backups", "x", "--backup-id", "b1", "--deeep"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err())
        .contains("--deeep")
        .contains("--deep")
        .contains("Try 'influxbak verify --help'");
  }

  @Test
  void oneCommandRun_buildsThatCommandOnly_helpAndTyposAllOfThem() {
    assertThat(Influxbak.subcommands(new String[] {"verify", "--latest"}))
        .containsExactly(VerifyCommand.class);
    assertThat(Influxbak.subcommands(new String[] {"break-lease"}))
        .containsExactly(BreakLeaseCommand.class);
    assertThat(Influxbak.subcommands(new String[] {"help", "verify"})).hasSize(13);
    assertThat(Influxbak.subcommands(new String[] {"man"})).hasSize(13);
    assertThat(Influxbak.subcommands(new String[] {"verfy"})).hasSize(13);
    assertThat(Influxbak.subcommands(new String[] {"--help"})).hasSize(13);
    assertThat(Influxbak.subcommands(new String[0])).hasSize(13);

    assertThat(run("--help")).isZero();
    assertThat(out())
        .contains("backup", "restore", "verify", "list", "prune", "check", "break-lease", "rekey")
        .contains("generate-key", "version", "man", "generate-completion", "help");
    assertThat(run("help", "verify")).isZero();
    assertThat(out()).contains("Usage: influxbak verify").contains("--deep").contains("--latest");
    assertThat(run("verify", "--help")).isZero();
    assertThat(out()).contains("Usage: influxbak verify").contains("--deep");
  }

  @Test
  void flagsACommandWouldIgnore_areRefused() {
    // check and list read sequentially, prune deletes one object at a time: no --parallelism or
    // --progress to ignore there; the copying and reading commands take both.
    assertThat(run("list", "--backups", work.toString(), "--parallelism", "4"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err()).contains("--parallelism");
    assertThat(run("check", "--source", data.toString(), "--node", "node0", "--progress", "bar"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(run("prune", "--backups", work.toString(), "--keep-last", "1", "--progress", "none"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(run("list", "--backups", work.toString(), "--metrics-file", "x.prom"))
        .isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void missingStore_usageErrorNamingTheFlagAndItsVariable() {
    assertThat(run("verify", "--backup-id", "b1")).isEqualTo(ExitCodes.USAGE);
    assertThat(err()).contains("--backups").contains("INFLUXBAK_BACKUPS");
  }

  @Test
  void version_isTheBuildsVersion() throws IOException {
    Properties built = new Properties();
    try (InputStream in = getClass().getResourceAsStream("/io/influxbak/influxbak.properties")) {
      built.load(in);
    }
    assertThat(built.getProperty("version")).doesNotContain("${");
    assertThat(run("version")).isZero();
    assertThat(out()).startsWith("influxbak " + built.getProperty("version") + "\n");
    assertThat(run("--version")).isZero();
    assertThat(out()).startsWith("influxbak " + built.getProperty("version") + "\n");
  }

  @Test
  void manPage_coversEveryCommandAndItsFlags() {
    assertThat(run("man")).isZero();
    assertThat(out())
        .startsWith(".TH INFLUXBAK 1")
        .contains(".SS backup", ".SS restore", ".SS verify", ".SS prune", ".SS check", ".SS list")
        .contains("\\-\\-backups", "\\-\\-source\\-property", "\\-\\-metrics\\-file")
        .contains("INFLUXBAK_");
  }

  @Test
  void completionScript_namesTheCommands() {
    assertThat(run("generate-completion")).isZero();
    assertThat(out()).contains("complete -F").contains("backup").contains("--backups");
  }

  /** The gauges of a Prometheus text file, by metric name (labels dropped). */
  private static Properties gauges(Path file) throws IOException {
    Properties gauges = new Properties();
    for (String line : Files.readAllLines(file)) {
      if (!line.startsWith("#") && !line.isBlank()) {
        gauges.setProperty(
            line.substring(0, line.indexOf('{')), line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return gauges;
  }
}
