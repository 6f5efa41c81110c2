package io.influxbak.benchmarks;

import io.influxbak.encryption.LocalKey;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The default path as an operator runs it: the command line's jar in a child JVM (start-up
 * included), pinned, CRC32C and SHA-256, on a realistic node ({@link RealisticNode}), against
 * {@code cp -r}, {@code rclone copy} and {@code restic backup} on the same data, alternating, each
 * figure the median of {@code --runs} with the load average printed beside every run. A backup
 * killed part-way and resumed is set against a new one. Wall and CPU (user + system, from {@code
 * /usr/bin/time}) are measured for every child.
 *
 * <pre>
 * mvn -B -q install -DskipTests
 * mvn -B -q -pl influxbak-benchmarks exec:java \
 *     -Dexec.args="--default-path --runs=5"
 * </pre>
 *
 * Options ({@code --name=value}): {@code dir} (scratch directory on the file system to measure,
 * default {@code /dev/shm/influxbak-default-path}), {@code jar} (default {@code
 * influxbak-cli/target/influxbak.jar}), {@code small} (20000), {@code large} (100), {@code wal}
 * (200), {@code runs} (5). rclone and restic are measured when installed ({@code apt-get install
 * rclone restic}) and reported as absent otherwise. A {@code dir} on a disk (for example {@code
 * /var/tmp/influxbak-default-path}) measures that disk: every command starts after an untimed
 * {@code sync}, and the durable baselines ({@code cp -r}, then {@code sync}) show what its
 * write-back costs, which a backup's fsyncs pay within its own time.
 */
final class DefaultPathBenchmark {
  /** When {@link #resumeAfterKill} kills its backup, as a share of a whole backup's wall time. */
  private static final double KILLED_AT = 0.4;

  private static final String RESUME =
      "influxbak backup --resume (killed " + Math.round(KILLED_AT * 100) + "% in)";

  private final Map<String, String> options;
  private final ChildRuns runs = new ChildRuns();

  private DefaultPathBenchmark(Map<String, String> options) {
    this.options = options;
  }

  /** Runs the benchmark (see the class comment for the options). */
  static void run(Map<String, String> options) throws Exception {
    new DefaultPathBenchmark(options).run();
  }

  private void run() throws Exception {
    Path dir = Path.of(option("dir", "/dev/shm/influxbak-default-path"));
    Path jar = Path.of(option("jar", "influxbak-cli/target/influxbak.jar")).toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IOException(jar + " is missing: run mvn -B -q install -DskipTests first");
    }
    int small = Integer.parseInt(option("small", "20000"));
    int large = Integer.parseInt(option("large", "100"));
    int wal = Integer.parseInt(option("wal", "200"));
    int count = Integer.parseInt(option("runs", "5"));
    Path data = dir.resolve("data");
    shell("rm -rf '" + dir + "'");
    Files.createDirectories(data);
    long bytes = RealisticNode.generate(data, small, large, wal);
    long files;
    try (Stream<Path> walk = Files.walk(data)) {
      files = walk.filter(Files::isRegularFile).count();
    }
    System.out.printf(
        Locale.ROOT,
        "Realistic node: %,d files, %s (%d Parquet files of 4-64 KiB, %d of 16 MiB, %d WAL files,"
            + " a snapshot referencing every Parquet file, a v3 catalog) in %s; %d cores%n",
        files,
        Measurements.human(bytes),
        small,
        large,
        wal + 2,
        dir,
        Runtime.getRuntime().availableProcessors());
    // Planning (listing, classification, snapshot parsing, pinning) up to the first copy, in a
    // child JVM with a 256 MiB heap: five plans of 20,000 objects (the first cold), one of
    // 1,000,000.
    System.out.println("Planning, -Xmx256m, synthetic pinned node (time to the first copy):");
    System.out.println("  " + PlanningProbe.inChildJvm(20_000, 5, "256m").replace("\n", "\n  "));
    System.out.println("  " + PlanningProbe.inChildJvm(1_000_000, 1, "256m"));
    boolean rclone = installed("rclone");
    boolean restic = installed("restic");
    double floor = hashingFloor(data);
    Path key = dir.resolve("backup.key");
    Files.writeString(key, LocalKey.generate().encoded());
    for (int i = 1; i <= count; i++) {
      double load = runs.startRound();
      String id = "bench-" + i;
      Path backups = Files.createDirectories(dir.resolve("backups"));
      Path copy = dir.resolve("copy");
      Path restored = dir.resolve("restored");
      List<String> backup = backup(jar, data, backups, id);
      runs.alternately(
          i,
          "cp -r (backup baseline)",
          List.of("cp", "-r", data.toString(), copy.toString()),
          "influxbak backup",
          backup);
      shell("rm -rf '" + copy + "'");
      resumeAfterKill(jar, data, dir.resolve("interrupted"), id);
      // The copy made durable, as a backup's is (every file fsynced): the baseline that shows
      // what a disk costs; on tmpfs it is the copy.
      runs.measure("cp -r, then sync", durableCopy(data, copy));
      shell("rm -rf '" + copy + "'");
      // Encrypted (--encrypt, a local key), against the plain backup of the same run.
      List<String> encrypted = new ArrayList<>(backup);
      encrypted.set(encrypted.indexOf("--backup-id=" + id), "--backup-id=" + id + "-encrypted");
      encrypted.addAll(List.of("--encrypt", "--key=file:" + key));
      runs.measure("influxbak backup --encrypt", encrypted);
      List<String> verify =
          ChildRuns.influxbak(
              jar, "verify", "--backups=file:" + backups, "--backup-id=" + id, "--deep");
      List<String> verifyEncrypted = new ArrayList<>(verify);
      verifyEncrypted.set(
          verifyEncrypted.indexOf("--backup-id=" + id), "--backup-id=" + id + "-encrypted");
      verifyEncrypted.add("--key=file:" + key);
      runs.measure("influxbak verify --deep, encrypted", verifyEncrypted);
      // Gone before the restores: on this project's VM, memory beyond about 9 GiB in use costs
      // three to four times as much to write into tmpfs (a 2 GiB dd: 0.7 s, or 2.2 to 3.2 s),
      // and a third tree of 2.2 GiB kept here put the restore's baseline copy at that edge.
      shell("rm -rf '" + backups.resolve(id + "-encrypted") + "'");
      if (rclone) {
        runs.measure(
            "rclone copy --transfers 16",
            List.of("rclone", "copy", "--transfers", "16", data.toString(), copy.toString()));
        shell("rm -rf '" + copy + "'");
      }
      if (restic) {
        Path repo = dir.resolve("restic");
        shell("RESTIC_PASSWORD=bench restic init -q --repo '" + repo + "' >/dev/null");
        runs.measure(
            "restic backup",
            List.of(
                "env",
                "RESTIC_PASSWORD=bench",
                "restic",
                "backup",
                "-q",
                "--repo",
                repo.toString(),
                data.toString()));
        shell("rm -rf '" + repo + "'");
      }
      Path backedUp = backups.resolve(id);
      List<String> restore =
          ChildRuns.influxbak(
              jar,
              "restore",
              "--backups=file:" + backups,
              "--backup-id=" + id,
              "--target=file:" + restored);
      List<String> cpRestore =
          List.of("cp", "-r", backedUp.resolve("node0").toString(), copy.toString());
      Files.createDirectories(restored);
      runs.alternately(
          i,
          "cp -r (restore baseline)",
          cpRestore,
          "influxbak restore",
          restore,
          () -> {
            shell("rm -rf '" + copy + "' '" + restored + "'");
            Files.createDirectories(restored);
          });
      shell("rm -rf '" + copy + "' '" + restored + "'");
      runs.measure("cp -r of the backup, then sync", durableCopy(backedUp.resolve("node0"), copy));
      shell("rm -rf '" + copy + "'");
      List<String> openssl =
          List.of(
              "sh",
              "-c",
              "find '"
                  + backedUp.resolve("node0")
                  + "' -type f -print0 | xargs -0 openssl dgst -sha256 >/dev/null");
      runs.alternately(
          i, "openssl dgst -sha256 (verify baseline)", openssl, "influxbak verify --deep", verify);
      shell("rm -rf '" + backups + "'");
      System.out.printf(
          Locale.ROOT, "run %d of %d done (load average %.2f at its start)%n", i, count, load);
    }
    report(bytes, floor, rclone, restic);
  }

  private void report(long bytes, double floor, boolean rclone, boolean restic) {
    runs.printMedians();
    double cpWall = runs.wall("cp -r (backup baseline)");
    double cpCpu = runs.cpu("cp -r (backup baseline)");
    double backupWall = runs.wall("influxbak backup");
    double backupCpu = runs.cpu("influxbak backup");
    double budget = 2.5 * cpCpu + floor;
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "backup, wall:   %.2fx cp -r (target <= 1.5x: %s)%n",
        backupWall / cpWall,
        backupWall / cpWall <= 1.5 ? "met" : "MISSED");
    System.out.printf(
        Locale.ROOT,
        "backup, wall:   %.2fx cp -r, then sync (the durable copy)%n",
        backupWall / runs.wall("cp -r, then sync"));
    System.out.printf(
        Locale.ROOT,
        "backup, CPU:    %.2f s = %.2fx cp's %.2f s; budget 2.5 x cp + hashing floor %.2f s ="
            + " %.2f s: %.2fx the budget (%s)%n",
        backupCpu,
        backupCpu / cpCpu,
        cpCpu,
        floor,
        budget,
        backupCpu / budget,
        backupCpu <= budget ? "met" : "MISSED");
    if (rclone) {
      System.out.printf(
          Locale.ROOT,
          "backup, wall:   %.2fx rclone copy --transfers 16%n",
          backupWall / runs.wall("rclone copy --transfers 16"));
    }
    if (restic) {
      System.out.printf(
          Locale.ROOT,
          "backup, wall:   %.2fx restic backup%n",
          backupWall / runs.wall("restic backup"));
    }
    System.out.printf(
        Locale.ROOT,
        "resume:         %.2fx a new backup's wall, killed at %.0f%% of it (%.2f s, CPU %.2f s)%n",
        runs.wall(RESUME) / backupWall,
        KILLED_AT * 100,
        runs.wall(RESUME),
        runs.cpu(RESUME));
    System.out.printf(
        Locale.ROOT,
        "encrypted:      backup %.2fx the plain backup's wall (%.2fx its CPU), deep verify"
            + " %.2fx the plain one's wall%n",
        runs.wall("influxbak backup --encrypt") / backupWall,
        runs.cpu("influxbak backup --encrypt") / backupCpu,
        runs.wall("influxbak verify --deep, encrypted") / runs.wall("influxbak verify --deep"));
    // The backup and the node hold the same files and bytes, so the two copies should take about
    // as long; on this tmpfs a copy right after a large write took four to eight times as long as
    // alone. The restore is held to both: a slowed baseline cannot make the target "met".
    double restoreWall = runs.wall("influxbak restore");
    double restoreRatio = restoreWall / runs.wall("cp -r (restore baseline)");
    double againstSourceCopy = restoreWall / cpWall;
    System.out.printf(
        Locale.ROOT,
        "restore, wall:  %.2fx cp -r of the backup, %.2fx cp -r of the node (target <= 1.5x: %s)%n",
        restoreRatio,
        againstSourceCopy,
        Math.max(restoreRatio, againstSourceCopy) <= 1.5 ? "met" : "MISSED");
    System.out.printf(
        Locale.ROOT,
        "restore, wall:  %.2fx cp -r of the backup, then sync (the durable copy)%n",
        restoreWall / runs.wall("cp -r of the backup, then sync"));
    double verifyRate = bytes / runs.wall("influxbak verify --deep") / 1e6;
    double opensslRate = bytes / runs.wall("openssl dgst -sha256 (verify baseline)") / 1e6;
    System.out.printf(
        Locale.ROOT,
        "deep verify:    %.0f MB/s = %.2fx openssl dgst -sha256's %.0f MB/s (target >= 0.9x: %s)%n",
        verifyRate,
        verifyRate / opensslRate,
        opensslRate,
        verifyRate / opensslRate >= 0.9 ? "met" : "MISSED");
  }

  /**
   * A backup into {@code backups} killed (SIGKILL) at {@link #KILLED_AT} of the median backup so
   * far (and not before it has written its start marker), its lease broken as an operator who knows
   * the process is gone breaks it, then resumed and timed: what finishing an interrupted backup
   * costs against a new one.
   */
  private void resumeAfterKill(Path jar, Path data, Path backups, String id) throws Exception {
    List<String> backup = backup(jar, data, backups, id);
    ChildRuns.killAfter(
        backup,
        Math.round(runs.wall("influxbak backup") * KILLED_AT * 1000),
        backups.resolve(id).resolve("backup-started.json"));
    shell(
        "'"
            + ChildRuns.JAVA
            + "' -jar '"
            + jar
            + "' break-lease --backups=file:'"
            + backups
            + "' --lease=backup/"
            + id
            + ".json --force >/dev/null");
    List<String> resume = new ArrayList<>(backup);
    resume.set(resume.indexOf("--backup-id=" + id), "--resume=" + id);
    runs.measure(RESUME, resume);
    shell("rm -rf '" + backups + "'");
  }

  /** The jar's backup of the node at {@code data} into {@code backups}, with default options. */
  private static List<String> backup(Path jar, Path data, Path backups, String id) {
    return ChildRuns.influxbak(
        jar,
        "backup",
        "--source=file:" + data,
        "--backups=file:" + backups,
        "--node=node0",
        "--backup-id=" + id);
  }

  /**
   * CPU seconds of SHA-256 and CRC32C over every file's bytes, one thread, in this (warmed) JVM:
   * the hashing no backup with both hashes on can avoid.
   */
  private static double hashingFloor(Path data) throws Exception {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(data)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    var threads = ManagementFactory.getThreadMXBean();
    byte[] buffer = new byte[1 << 20];
    double best = Double.MAX_VALUE;
    for (int pass = 0; pass < 3; pass++) {
      long start = threads.getCurrentThreadCpuTime();
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      CRC32C crc = new CRC32C();
      for (Path file : files) {
        try (InputStream in = Files.newInputStream(file)) {
          int n;
          while ((n = in.read(buffer)) > 0) {
            sha256.update(buffer, 0, n);
            crc.update(buffer, 0, n);
          }
        }
        sha256.reset();
      }
      best = Math.min(best, (threads.getCurrentThreadCpuTime() - start) / 1e9);
    }
    // Reading the files is cp's work too: count only the hashing, measured apart on one buffer.
    long hashed = 0;
    long start = threads.getCurrentThreadCpuTime();
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    CRC32C crc = new CRC32C();
    for (Path file : files) {
      long size = Files.size(file);
      for (long done = 0; done < size; done += buffer.length) {
        int n = (int) Math.min(buffer.length, size - done);
        sha256.update(buffer, 0, n);
        crc.update(buffer, 0, n);
        hashed += n;
      }
    }
    double hashing = (threads.getCurrentThreadCpuTime() - start) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "Hashing floor: SHA-256 + CRC32C of %s in %.2f s CPU (one thread; reading and hashing"
            + " the files: %.2f s)%n",
        Measurements.human(hashed),
        hashing,
        best);
    return hashing;
  }

  /** {@code cp -r source copy}, then {@code sync}: the copy on disk, as durable as a backup. */
  private static List<String> durableCopy(Path source, Path copy) {
    return List.of("sh", "-c", "cp -r '" + source + "' '" + copy + "' && sync");
  }

  private static boolean installed(String tool) throws Exception {
    Process process = new ProcessBuilder("sh", "-c", "command -v " + tool).start();
    boolean found = process.waitFor() == 0;
    if (!found) {
      System.out.println(tool + ": not installed (apt-get install " + tool + "), not measured");
    }
    return found;
  }

  private static void shell(String command) throws IOException, InterruptedException {
    Measurements.shell(command);
  }

  private String option(String name, String fallback) {
    return options.getOrDefault(name, fallback);
  }
}
