package io.influxbak.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.influxbak.examples.SampleNode;
import io.influxbak.lease.LeaseSettings;
import io.influxbak.lease.Leases;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupRepository;
import io.influxbak.store.fs.FileSystemObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, run in-process on the file-system store. */
class InfluxbakCommandTest {
  @TempDir Path work;
  private Path data;
  private Path backups;
  private Path restored;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void sampleNode() throws IOException {
    data = Files.createDirectories(work.resolve("data"));
    backups = Files.createDirectories(work.resolve("backups"));
    restored = Files.createDirectories(work.resolve("restored"));
    SampleNode.create(data, "node0");
  }

  private int run(String... args) {
    out.reset();
    err.reset();
    return Influxbak.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        false);
  }

  /** Runs a backup of the sample node into {@code to} as {@code id}, with {@code more} flags. */
  private int backup(String to, String id, String... more) {
    String[] args = {
      "backup",
      "--source",
      data.toUri().toString(),
      "--backups",
      to,
      "--node",
      "node0",
      "--backup-id",
      id
    };
    return run(concat(args, more));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void backupThenRestore_json_restoresIdenticalTree() throws IOException {
    int backup =
        run(
            "backup",
            "--source",
            data.toUri().toString(),
            "--backups",
            backups.toUri().toString(),
            "--node",
            "node0",
            "--backup-id",
            "b1",
            "--json");
    assertThat(backup).as(err()).isZero();
    JsonNode result = new ObjectMapper().readTree(out());
    assertThat(result.get("backupId").asText()).isEqualTo("b1");
    assertThat(result.get("objects").asLong()).isEqualTo(19);
    assertThat(result.get("phases")).hasSize(7);

    int restore =
        run(
            "restore",
            "--backups",
            backups.toUri().toString(),
            "--target",
            restored.toUri().toString(),
            "--backup-id",
            "b1",
            "--json");
    assertThat(restore).as(err()).isZero();
    assertThat(new ObjectMapper().readTree(out()).get("objects").asLong()).isEqualTo(19);
    assertThat(new ObjectMapper().readTree(out()).get("consistent").asBoolean()).isTrue();
    assertThat(PathUtils.directoryAndFileContentEquals(data, restored)).isTrue();
  }

  @Test
  void verifyLatest_theNewestBackup_evenOneReusingADeletedBackup() throws IOException {
    String to = backups.toUri().toString();
    for (String id : new String[] {"b1", "b2"}) {
      assertThat(backup(to, id)).as(err()).isZero();
    }
    assertThat(run("verify", "--backups", to, "--latest", "--json")).as(err()).isZero();
    assertThat(new ObjectMapper().readTree(out()).get("backupId").asText()).isEqualTo("b2");

    PathUtils.deleteDirectory(backups.resolve("b1")); // by hand: b2 reuses its objects

    assertThat(run("verify", "--backups", to, "--latest", "--json"))
        .as("the broken newest backup is verified and fails, not passed over")
        .isEqualTo(ExitCodes.VERIFY_FAILED);
    JsonNode report = new ObjectMapper().readTree(out());
    assertThat(report.get("backupId").asText()).isEqualTo("b2");
    assertThat(report.get("findings").toString())
        .contains("MISSING")
        .contains("gone from the store");
    assertThat(run("verify", "--backups", to, "--latest", "--deep", "--json"))
        .isEqualTo(ExitCodes.VERIFY_FAILED);
    assertThat(new ObjectMapper().readTree(out()).get("findings").toString())
        .contains("MISSING")
        .contains("reused from backup b1, not in the store");
  }

  @Test
  void backup_plainProgress_printsOneLinePerPhaseOnStderr() {
    int code =
        run(
            "backup",
            "--source",
            data.toUri().toString(),
            "--backups",
            backups.toUri().toString(),
            "--node",
            "node0",
            "--progress",
            "plain");
    assertThat(code).isZero();
    assertThat(err())
        .contains("SNAPSHOTS: 2 objects")
        .contains("PARQUET: done, 6 objects")
        .contains("CATALOG_CHECKPOINT: done");
    assertThat(out()).startsWith("Backup backup-");
  }

  @Test
  void backup_barProgress_redrawsInPlace() {
    int code =
        run(
            "backup",
            "--source",
            data.toUri().toString(),
            "--backups",
            backups.toUri().toString(),
            "--node",
            "node0",
            "--progress",
            "bar");
    assertThat(code).isZero();
    assertThat(err()).contains("\rPARQUET").contains("6/6 objects").contains("ETA");
  }

  @Test
  void backup_oneStore_writesInsideTheSourceStore() throws IOException {
    int code =
        run(
            "backup",
            "--source",
            data.toUri().toString(),
            "--node",
            "node0",
            "--backup-id",
            "inside",
            "--progress",
            "none");
    assertThat(code).as(err()).isZero();
    assertThat(data.resolve("inside/node0/catalog/v2/snapshot")).exists();
  }

  @Test
  void backup_unknownNode_exitOneWithOneLineNamingPrefix() {
    int code =
        run(
            "backup",
            "--source",
            data.toUri().toString(),
            "--backups",
            backups.toUri().toString(),
            "--node",
            "node9",
            "--progress",
            "none");
    assertThat(code).isEqualTo(ExitCodes.FAILURE);
    assertThat(err().strip())
        .startsWith("influxbak: error:")
        .contains("node9/")
        .doesNotContain("\n")
        .doesNotContain("\tat ");
  }

  @Test
  void backup_verbose_addsStackTrace() {
    int code =
        run(
            "backup",
            "--source",
            data.toUri().toString(),
            "--backups",
            backups.toUri().toString(),
            "--node",
            "node9",
            "--verbose",
            "--progress",
            "none");
    assertThat(code).isEqualTo(ExitCodes.FAILURE);
    assertThat(err()).contains("NodeNotFoundException").contains("\tat ");
  }

  @Test
  void restore_nonEmptyTarget_exitOneListingWhatIsThere() throws IOException {
    assertThat(
            run(
                "backup",
                "--source",
                data.toUri().toString(),
                "--backups",
                backups.toUri().toString(),
                "--node",
                "node0",
                "--backup-id",
                "b2",
                "--progress",
                "none"))
        .isZero();
    int code =
        run(
            "restore",
            "--backups",
            backups.toUri().toString(),
            "--target",
            data.toUri().toString(),
            "--backup-id",
            "b2",
            "--progress",
            "none");
    assertThat(code).isEqualTo(ExitCodes.FAILURE);
    assertThat(err()).contains("not empty").contains("node0/");
  }

  @Test
  void enterpriseCluster_backupAndRestore_withLicenceRelocationAccepted() throws IOException {
    io.influxbak.layout.testing.GeneratedCluster cluster =
        io.influxbak.layout.testing.EnterpriseClusterArbitraries.build(2, true, 3, 5);
    Path clusterData = Files.createDirectories(work.resolve("cluster-data"));
    try (io.influxbak.store.fs.FileSystemObjectStore store =
        io.influxbak.store.fs.FileSystemObjectStore.open(clusterData)) {
      cluster.writeTo(store);
    }
    String id = cluster.cluster().toString();

    int backup =
        run(
            "backup",
            "--source",
            clusterData.toUri().toString(),
            "--backups",
            backups.toUri().toString(),
            "--cluster",
            id,
            "--nodes",
            "data0,data1",
            "--compactor",
            "compactor",
            "--backup-id",
            "e1",
            "--json",
            "--progress",
            "none");
    assertThat(backup).as(err()).isZero();
    assertThat(new ObjectMapper().readTree(out()).get("cluster").asText()).isEqualTo(id);

    int refused =
        run(
            "restore",
            "--backups",
            backups.toUri().toString(),
            "--target",
            restored.toUri().toString(),
            "--backup-id",
            "e1",
            "--cluster",
            id,
            "--compactor",
            "compactor",
            "--progress",
            "none");
    assertThat(refused).isEqualTo(ExitCodes.FAILURE);
    assertThat(err())
        .contains("licence file " + id + "/")
        .contains("_license")
        .contains("it was issued for " + clusterData.toUri().toString().replaceAll("/$", ""));

    int restore =
        run(
            "restore",
            "--backups",
            backups.toUri().toString(),
            "--target",
            restored.toUri().toString(),
            "--backup-id",
            "e1",
            "--cluster",
            id,
            "--compactor",
            "compactor",
            "--accept-license-relocation",
            "--progress",
            "none");
    assertThat(restore).as(err()).isZero();
    assertThat(restored.resolve(id + "/commercial_license")).exists();
    assertThat(
            run(
                "check",
                "--source",
                restored.toUri().toString(),
                "--cluster",
                id,
                "--nodes",
                "data0,data1",
                "--compactor",
                "compactor"))
        .as(out())
        .isZero();
    assertThat(out()).contains("Node data1: consistent").contains("Node " + id + ": consistent");
    assertThat(restored.resolve("compactor/cs")).isDirectory();
    assertThat(restored.resolve("data1")).isDirectory();
  }

  @Test
  void backup_nodeAndClusterTogether_usageError() {
    assertThat(
            run(
                "backup",
                "--source",
                data.toUri().toString(),
                "--node",
                "n",
                "--cluster",
                "c",
                "--nodes",
                "a"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err()).contains("mutually exclusive");
  }

  @Test
  void verifyListAndDryRun_reportWhatIsThere() throws IOException {
    assertThat(
            run(
                "backup",
                "--source",
                data.toUri().toString(),
                "--backups",
                backups.toUri().toString(),
                "--node",
                "node0",
                "--backup-id",
                "v1",
                "--progress",
                "none"))
        .isZero();

    assertThat(run("verify", "--backups", backups.toUri().toString(), "--backup-id", "v1"))
        .as(err())
        .isZero();
    // The file system keeps no checksums: a shallow verify compares sizes there, and says so.
    assertThat(out())
        .contains("Shallow verify of v1: 19 objects checked")
        .contains("sizes match; content of 19 object(s) not compared")
        .contains("run --deep")
        .doesNotContain("intact");
    assertThat(
            run(
                "verify",
                "--backups",
                backups.toUri().toString(),
                "--backup-id",
                "v1",
                "--deep",
                "--json"))
        .isZero();
    assertThat(new ObjectMapper().readTree(out()).get("bytesRead").asLong()).isEqualTo(650394);
    assertThat(new ObjectMapper().readTree(out()).get("intact").asBoolean()).isTrue();

    // A byte changed in place, size kept, found by the modification time without reading data.
    Path changed;
    try (var wals = Files.list(backups.resolve("v1/node0/wal"))) {
      changed = wals.sorted().findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(changed);
    bytes[bytes.length - 1] ^= 1;
    Files.write(changed, bytes);
    Files.setLastModifiedTime(
        changed,
        java.nio.file.attribute.FileTime.from(
            java.time.Instant.now().plus(java.time.Duration.ofHours(1))));
    assertThat(run("verify", "--backups", backups.toUri().toString(), "--backup-id", "v1"))
        .isEqualTo(ExitCodes.VERIFY_FAILED);
    assertThat(out()).contains("CHANGED_AFTER_BACKUP").contains(changed.getFileName().toString());
    bytes[bytes.length - 1] ^= 1;
    Files.write(changed, bytes); // put back, with a fresh (later) modification time
    Files.setLastModifiedTime(
        changed, java.nio.file.attribute.FileTime.from(java.time.Instant.EPOCH));

    assertThat(run("list", "--backups", backups.toUri().toString())).isZero();
    assertThat(out()).contains("v1").contains("complete").contains("node0");

    assertThat(
            run(
                "restore",
                "--backups",
                backups.toUri().toString(),
                "--target",
                restored.toUri().toString(),
                "--backup-id",
                "v1",
                "--dry-run"))
        .isZero();
    assertThat(out()).contains("Dry run: would restore 19 objects").contains("CATALOG_CHECKPOINT");
    try (var files = Files.list(restored)) {
      assertThat(files).isEmpty();
    }

    Path wal = backups.resolve("v1/node0/wal/00000000007.wal");
    Files.write(wal, new byte[] {1, 2, 3});
    assertThat(run("verify", "--backups", backups.toUri().toString(), "--backup-id", "v1"))
        .isEqualTo(ExitCodes.VERIFY_FAILED);
    assertThat(out()).contains("SIZE_MISMATCH v1/node0/wal/00000000007.wal");
  }

  @Test
  void check_liveNodeAndBackup_consistentThenInconsistentWithExitFour() throws IOException {
    assertThat(run("check", "--source", data.toUri().toString(), "--node", "node0"))
        .as(out() + err())
        .isZero();
    assertThat(out()).contains("Node node0: consistent; newest snapshot 2, 4 WAL file(s) after it");
    assertThat(
            run(
                "backup",
                "--source",
                data.toUri().toString(),
                "--backups",
                backups.toUri().toString(),
                "--node",
                "node0",
                "--backup-id",
                "k",
                "--progress",
                "none"))
        .isZero();
    assertThat(
            run(
                "check",
                "--backups",
                backups.toUri().toString(),
                "--node",
                "node0",
                "--backup-id",
                "k",
                "--json"))
        .isZero();
    assertThat(new ObjectMapper().readTree(out()).get("consistent").asBoolean()).isTrue();

    // The check reads the backup through its manifest, as a restore would: a snapshot damaged in
    // the backup is what a restored server would find.
    try (var snapshots = Files.list(backups.resolve("k/node0/snapshots"))) {
      Path snapshot = snapshots.filter(Files::isRegularFile).findFirst().orElseThrow();
      byte[] bytes = Files.readAllBytes(snapshot);
      java.util.Arrays.fill(bytes, (byte) '{');
      Files.write(snapshot, bytes);
    }
    assertThat(
            run(
                "check",
                "--backups",
                backups.toUri().toString(),
                "--node",
                "node0",
                "--backup-id",
                "k"))
        .isEqualTo(ExitCodes.INCONSISTENT);
    assertThat(out()).contains("INCONSISTENT").contains("ERROR").contains("snapshots/");
  }

  @Test
  void check_backupOfANodeMissingAParquetFile_sameWarningAsTheLiveCheck() throws IOException {
    try (var parquet = Files.walk(data.resolve("node0/dbs"))) {
      Files.delete(parquet.filter(Files::isRegularFile).findFirst().orElseThrow());
    }
    assertThat(run("check", "--source", data.toUri().toString(), "--node", "node0")).isZero();
    String live = out().lines().filter(l -> l.contains("WARNING")).findFirst().orElseThrow();
    assertThat(
            run(
                "backup",
                "--source",
                data.toUri().toString(),
                "--backups",
                backups.toUri().toString(),
                "--node",
                "node0",
                "--backup-id",
                "k",
                "--progress",
                "none"))
        .isZero();
    assertThat(out()).contains("consistent, with warnings").contains(live.trim());

    assertThat(
            run(
                "check",
                "--backups",
                backups.toUri().toString(),
                "--node",
                "node0",
                "--backup-id",
                "k"))
        .isZero();
    assertThat(out()).contains(live);
    assertThat(
            run(
                "check",
                "--backups",
                backups.toUri().toString(),
                "--node",
                "node0",
                "--backup-id",
                "nope"))
        .isEqualTo(ExitCodes.FAILURE);
    assertThat(err()).contains("not found");
  }

  /**
   * A lease a killed backup left: list shows it with its holder, a resume and a prune are refused
   * with exit 5 naming it, break-lease refuses it while fresh and breaks it with --force, and then
   * the resume runs.
   */
  @Test
  void leftLease_listedRefusesResumeAndPrune_brokenOnlyWhenForced() throws IOException {
    String from = data.toUri().toString();
    String to = backups.toUri().toString();
    // A run killed mid-backup: its start marker and its lease stay behind.
    try (FileSystemObjectStore store = FileSystemObjectStore.open(backups)) {
      Leases.in(store, LeaseSettings.defaults().withTime(java.time.Clock.systemUTC(), d -> {}))
          .backup("killed", List.of("node0"), false); // never renewed or given back
      BackupRepository.of(store)
          .writeStarted(BackupId.of("killed"), java.time.Instant.now(), "run-that-was-killed");
    }
    assertThat(run("list", "--backups", to)).as(err()).isZero();
    assertThat(out())
        .contains("RUNNING (leases in influxbak-leases/)")
        .contains("backup/killed.json: backup of killed (nodes node0) by ")
        .contains("pid " + ProcessHandle.current().pid())
        .contains("[fresh]");
    assertThat(run("list", "--backups", to, "--json")).isZero();
    assertThat(out()).contains("\"running\"").contains("\"lease\" : \"backup/killed.json\"");

    assertThat(resumeKilled(from, to)).isEqualTo(ExitCodes.LEASE);
    assertThat(err()).contains("Refused resume of killed").contains("backup/killed.json");
    assertThat(run("prune", "--backups", to, "--keep-last", "1")).isEqualTo(ExitCodes.LEASE);
    assertThat(err()).contains("Refused prune").contains("backup/killed.json");

    assertThat(run("break-lease", "--backups", to, "--lease", "backup/killed.json"))
        .isEqualTo(ExitCodes.LEASE);
    assertThat(err()).contains("not stale; force breaks it anyway");
    assertThat(run("break-lease", "--backups", to, "--lease", "backup/killed.json", "--force"))
        .as(err())
        .isZero();
    assertThat(out()).startsWith("Broke lease backup/killed.json");
    assertThat(resumeKilled(from, to)).as(err()).isZero();
    assertThat(run("list", "--backups", to)).isZero();
    assertThat(out()).doesNotContain("RUNNING");
    assertThat(run("prune", "--backups", to, "--keep-last", "1", "--wait", "PT1S"))
        .as(err())
        .isZero();
  }

  private int resumeKilled(String from, String to) {
    return run(
        "backup", "--source", from, "--backups", to, "--node", "node0", "--resume", "killed");
  }

  @Test
  void incrementalGzipBackups_thenPrune_keepsTheNewestRestorable() throws IOException {
    String from = data.toUri().toString();
    String to = backups.toUri().toString();
    assertThat(
            run(
                "backup",
                "--source",
                from,
                "--backups",
                to,
                "--node",
                "node0",
                "--backup-id",
                "b1",
                "--json"))
        .as(err())
        .isZero();
    assertThat(
            run(
                "backup",
                "--source",
                from,
                "--backups",
                to,
                "--node",
                "node0",
                "--backup-id",
                "b2",
                "--gzip",
                "--json"))
        .as(err())
        .isZero();
    JsonNode second = new ObjectMapper().readTree(out());
    assertThat(second.get("reusedObjects").asLong())
        .as("an unchanged node: everything reused")
        .isEqualTo(second.get("objects").asLong());
    assertThat(second.get("copiedBytes").asLong()).isZero();
    assertThat(
            run(
                "backup",
                "--source",
                from,
                "--backups",
                to,
                "--node",
                "node0",
                "--backup-id",
                "b3",
                "--full",
                "--gzip",
                "--json"))
        .as(err())
        .isZero();
    JsonNode third = new ObjectMapper().readTree(out());
    assertThat(third.get("reusedObjects").asLong()).isZero();
    assertThat(third.get("copiedBytes").asLong())
        .isPositive()
        .isLessThan(third.get("bytes").asLong()); // gzip shrinks WAL, snapshots, catalog

    assertThat(run("prune", "--backups", to, "--keep-last", "1", "--dry-run")).as(err()).isZero();
    assertThat(out())
        .contains("Prune (dry run)")
        .contains("keep   b3")
        .contains("remove b1")
        .contains("remove b2");
    assertThat(run("list", "--backups", to)).isZero();
    assertThat(out()).contains("b1").contains("b2");

    assertThat(run("prune", "--backups", to, "--keep-last", "1", "--json")).as(err()).isZero();
    JsonNode pruned = new ObjectMapper().readTree(out());
    assertThat(pruned.get("removed"))
        .extracting(JsonNode::asText)
        .containsExactlyInAnyOrder("b1", "b2");
    assertThat(run("list", "--backups", to, "--json")).isZero();
    assertThat(new ObjectMapper().readTree(out()).get("backups"))
        .extracting(b -> b.get("backupId").asText())
        .containsExactly("b3");
    assertThat(run("verify", "--backups", to, "--backup-id", "b3", "--deep")).as(out()).isZero();
    assertThat(run("verify", "--backups", to, "--backup-id", "nope")).isEqualTo(ExitCodes.FAILURE);
    assertThat(err()).contains("Cannot verify nope/").contains("not found");
    Files.createDirectories(backups.resolve("b1"));
    Files.writeString(backups.resolve("b1/" + BackupRepository.RETIRED_MARKER), "{}");
    assertThat(run("verify", "--backups", to, "--backup-id", "b1")).isEqualTo(ExitCodes.FAILURE);
    assertThat(err()).contains("Cannot verify b1/").contains("retired");
    assertThat(
            run(
                "restore",
                "--backups",
                to,
                "--target",
                restored.toUri().toString(),
                "--backup-id",
                "b3"))
        .as(err())
        .isZero();
    assertThat(PathUtils.directoryAndFileContentEquals(data, restored)).isTrue();
  }

  /** {@code backup} of node0 of the sample node into {@code backups}, then {@code more}. */
  private String[] backupOfNode0(String backups, String... more) {
    return concat(
        new String[] {
          "backup", "--source", data.toUri().toString(), "--backups", backups, "--node", "node0"
        },
        more);
  }

  /** The options that reach S3Mock with its credentials. */
  private static String[] s3mockStore(java.util.Map<String, String> s3) {
    return new String[] {
      "--endpoint",
      s3.get("s3.endpoint"),
      "--store-property",
      "s3.access-key-id=" + s3.get("s3.access-key-id"),
      "--store-property",
      "s3.secret-access-key=" + s3.get("s3.secret-access-key")
    };
  }

  @Test
  void lockedBackup_onAnObjectLockBucket_isListedVerifiedAndRetiredNotDeletedByPrune()
      throws IOException {
    java.util.Map<String, String> s3 =
        io.influxbak.store.s3.testing.S3TestServers.s3mockProperties();
    String bucket = io.influxbak.store.s3.testing.S3TestServers.newLockedBucket(s3);
    String to = "s3://" + bucket + "/backups";
    String[] store =
        concat(s3mockStore(s3), new String[] {"--store-property", "s3.object-lock=true"});
    // The first locked for a given period; the second for as long as the retention policy prune
    // uses keeps a backup taken daily (3 days + 1).
    String[][] locks = {{"--lock", "governance:2d"}, {"--lock", "governance", "--keep-daily", "3"}};
    String[] ids = {"first", "second"};
    for (int i = 0; i < 2; i++) {
      assertThat(run(concat(concat(backupOfNode0(to, "--backup-id", ids[i]), locks[i]), store)))
          .as(err())
          .isZero();
    }
    String fourDaysOn = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(4).toString();
    assertThat(run(concat(new String[] {"list", "--backups", to}, store))).as(err()).isZero();
    assertThat(out())
        .containsPattern("first .*complete, locked governance until")
        .containsPattern("second .*complete, locked governance until " + fourDaysOn);
    assertThat(run(concat(new String[] {"verify", "--backups", to, "--backup-id", "first"}, store)))
        .as(out())
        .isZero();
    assertThat(out()).contains("the earliest lock on an object it needs: governance until");
    assertThat(run(concat(new String[] {"prune", "--backups", to, "--keep-last", "1"}, store)))
        .as(err())
        .isZero();
    assertThat(out())
        .contains("1 retired but still holding objects")
        .containsPattern("locked first +objects held governance until")
        .contains("backup --lock governance:2d");
    assertThat(run(concat(new String[] {"list", "--backups", to}, store))).as(err()).isZero();
    assertThat(out()).containsPattern("first .*retired, locked governance until");
  }

  @Test
  void lock_onAStoreWithoutLocks_orMalformed_isAUsageError_andWritesNothing() throws IOException {
    Path backups = work.resolve("no-locks");
    assertThat(run(backupOfNode0(backups.toUri().toString(), "--lock", "governance:30d")))
        .isEqualTo(2);
    assertThat(err()).contains("has no object locks");
    assertThat(backups)
        .satisfiesAnyOf(p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyDirectory());
    assertThat(run(backupOfNode0(backups.toUri().toString(), "--lock", "forever:30d")))
        .isEqualTo(2);
    assertThat(err()).contains("--lock takes MODE:PERIOD");
    assertThat(run(backupOfNode0(backups.toUri().toString(), "--lock", "compliance"))).isEqualTo(2);
    assertThat(err()).contains("without a period needs the retention policy");
  }

  @Test
  void s3Endpoint_backupListVerifyRestore_throughTheCommandLine() throws IOException {
    java.util.Map<String, String> s3 =
        io.influxbak.store.s3.testing.S3TestServers.s3mockProperties();
    String bucket = io.influxbak.store.s3.testing.S3TestServers.newBucket(s3);
    String to = "s3://" + bucket + "/backups";
    String[] credentials = s3mockStore(s3);

    assertThat(backup(to, "cloud", credentials)).as(err()).isZero();
    assertThat(out()).contains("Backup cloud complete: 19 objects");
    assertThat(run(concat(new String[] {"list", "--backups", to}, credentials))).as(err()).isZero();
    assertThat(out()).contains("cloud").contains("complete");
    assertThat(
            run(
                concat(
                    new String[] {"verify", "--backups", to, "--backup-id", "cloud", "--deep"},
                    credentials)))
        .as(out())
        .isZero();
    assertThat(
            run(
                concat(
                    new String[] {
                      "restore",
                      "--backups",
                      to,
                      "--target",
                      restored.toUri().toString(),
                      "--backup-id",
                      "cloud"
                    },
                    credentials)))
        .as(err())
        .isZero();
    assertThat(PathUtils.directoryAndFileContentEquals(data, restored)).isTrue();
    assertThat(out() + err()).doesNotContain(s3.get("s3.secret-access-key"));
  }

  private static String[] concat(String[] first, String[] second) {
    String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    return all;
  }

  @Test
  void prune_besideAManifestOfANewerFormat_refusesUnlessToldToLeaveIt() throws IOException {
    String from = data.toUri().toString();
    String to = backups.toUri().toString();
    for (String id : new String[] {"b1", "b2", "b3"}) {
      assertThat(
              run(
                  "backup",
                  "--source",
                  from,
                  "--backups",
                  to,
                  "--node",
                  "node0",
                  "--backup-id",
                  id,
                  "--progress",
                  "none"))
          .as(err())
          .isZero();
    }
    Path manifest = backups.resolve("b3/manifest.json");
    Files.writeString(
        manifest,
        Files.readString(manifest)
            .replaceFirst("\"formatVersion\"\\s*:\\s*\\d+", "\"formatVersion\" : 3"));

    assertThat(run("list", "--backups", to)).isZero();
    assertThat(out()).contains("unreadable (").contains("formatVersion 3");
    assertThat(run("prune", "--backups", to, "--keep-last", "1")).isEqualTo(1);
    assertThat(err()).contains("Cannot prune").contains("b3").contains("does not read here");
    assertThat(Files.exists(backups.resolve("b1/manifest.json"))).isTrue();
    assertThat(run("prune", "--backups", to, "--keep-last", "1", "--leave-unreadable"))
        .as(err())
        .isZero();
    assertThat(out()).contains("remove b1");
    assertThat(PathUtils.countDirectory(backups.resolve("b1")).getFileCounter().get())
        .as("b1's data stays: b3 may reference it")
        .isGreaterThan(10);
  }

  @Test
  void unsafeBackupId_usageErrorExitTwoBeforeAnythingIsWritten() throws IOException {
    String to = backups.toUri().toString();
    assertThat(backup(to, "../x")).isEqualTo(ExitCodes.USAGE);
    assertThat(err()).contains("invalid backup id '../x'");
    assertThat(run("restore", "--backups", to, "--target", to, "--backup-id", "a/b"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(run("verify", "--backups", to, "--backup-id", "")).isEqualTo(ExitCodes.USAGE);
    try (var files = Files.list(backups)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void prune_withoutAnyKeepRule_usageErrorExitTwo() {
    assertThat(run("prune", "--backups", backups.toUri().toString())).isEqualTo(2);
    assertThat(err()).contains("at least one backup");
  }

  @Test
  void backup_resumeOfAnUnknownBackup_exitOneNamingIt() {
    int code =
        run(
            "backup",
            "--source",
            data.toUri().toString(),
            "--backups",
            backups.toUri().toString(),
            "--node",
            "node0",
            "--resume",
            "nope");
    assertThat(code).isEqualTo(1);
    assertThat(err()).contains("Cannot resume backup nope").contains("no backup was started");
  }

  @Test
  void missingRequiredOption_usageErrorExitTwo() {
    assertThat(run("backup", "--source", data.toUri().toString())).isEqualTo(ExitCodes.USAGE);
    assertThat(err()).contains("Missing required").contains("--node");
  }

  @Test
  void unknownScheme_failureNamingModule() {
    int code =
        run("backup", "--source", "nosuch://bucket", "--node", "node0", "--progress", "none");
    assertThat(code).isEqualTo(ExitCodes.FAILURE);
    assertThat(err()).contains("no store provider accepts scheme 'nosuch'");
  }

  @Test
  void help_everySubcommand_exitZero() {
    for (String command : new String[] {"backup", "restore", "verify", "list", "check"}) {
      assertThat(run(command, "--help")).isZero();
      assertThat(out()).contains("Usage: influxbak " + command);
    }
    assertThat(run("--help")).isZero();
    assertThat(out()).contains("backup").contains("restore");
  }
}
