package io.influxbak.benchmarks;

import static io.influxbak.benchmarks.Measurements.dirIfExists;
import static io.influxbak.benchmarks.Measurements.seconds;

import com.google.common.collect.ImmutableMap;
import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.backup.BackupResult;
import io.influxbak.store.fs.FileSystemObjectStore;
import io.influxbak.store.fs.SyncPolicy;
import io.influxbak.transfer.TransferSettings;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.io.file.PathUtils;

/**
 * Prints influxbak's file-system backup times as ratios against {@code cp -r} (and {@code cp -r &&
 * sync} for the durable variant) run in the same command on the same data, median of {@code --runs}
 * alternating runs, plus the peak heap of a million-object plan measured in a child JVM capped at
 * 256 MB.
 *
 * <pre>
 * mvn -B -q install -DskipTests
 * mvn -B -q -pl influxbak-benchmarks exec:java -Dexec.args="--runs=5"
 * </pre>
 *
 * Options ({@code --name=value}): {@code dir} (scratch directory, default {@code
 * /dev/shm/influxbak-bench}, a tmpfs, so that the figures measure the copy and not the disk),
 * {@code durable-dir} (a directory on a real disk for the fsync figure, default {@code
 * target/bench-durable}), {@code small} (number of 1 to 8 KiB files, default 20,000), {@code
 * large-mib} (total size of the Parquet files, default 2,000), {@code durable-small} (files in the
 * durable run, default 2,000), {@code runs} (default 5), {@code heap-objects} (default 1,000,000; 0
 * skips the heap probe), {@code heap-only} (run only the heap probe, on both shapes of node: {@link
 * HeapProbe}), {@code heap-max} (its heap cap, default 256m), {@code parallelism} (copies in
 * flight, default 16), {@code s3} (run only the same-bucket S3 backup against {@code rclone copy}
 * on S3Mock: {@link S3Benchmark}; {@code s3-objects}, default 2,000; {@code s3mock-jar}).
 */
public final class Benchmark {
  /** A benchmark that runs alone, named by its option. */
  private interface Alone {
    void run(Map<String, String> options) throws Exception;
  }

  private static final ImmutableMap<String, Alone> ALONE =
      ImmutableMap.of(
          "listing", ListingBenchmark::run,
          "default-path", DefaultPathBenchmark::run,
          "spark", SparkBenchmark::run,
          "planning",
              o ->
                  PlanningProbe.run(
                      Integer.parseInt(o.get("planning")), Integer.parseInt(o.get("times"))),
          "heap-probe",
              o ->
                  HeapProbe.run(
                      Integer.parseInt(o.get("heap-probe")), o.getOrDefault("heap-shape", "wal")),
          "heap-only",
              o -> {
                for (String shape : HeapProbe.SHAPES) {
                  HeapProbe.inChildJvm(
                      Integer.parseInt(o.getOrDefault("heap-objects", "1000000")),
                      o.getOrDefault("heap-max", "256m"),
                      shape);
                }
              },
          "s3",
              o ->
                  System.out.println(
                      S3Benchmark.run(
                          Path.of(
                                  o.getOrDefault(
                                      "s3mock-jar", "influxbak-s3/target/test-servers/s3mock.jar"))
                              .toAbsolutePath(),
                          Integer.parseInt(o.getOrDefault("s3-objects", "2000")),
                          Integer.parseInt(o.getOrDefault("runs", "5")))));

  private final Map<String, String> options;
  private final List<String> summary = new ArrayList<>();

  private Benchmark(Map<String, String> options) {
    this.options = options;
  }

  /**
   * Runs the benchmark; {@code --heap-probe=N} runs only the million-object heap probe (used as the
   * child); {@code --default-path}, {@code --listing} and {@code --spark} run the benchmarks of
   * those classes.
   */
  public static void main(String[] args) throws Exception {
    long startup = ManagementFactory.getRuntimeMXBean().getUptime();
    Map<String, String> options = new LinkedHashMap<>();
    for (String arg : args) {
      String[] pair = arg.replaceFirst("^--", "").split("=", 2);
      options.put(pair[0], pair.length > 1 ? pair[1] : "true");
    }
    for (Map.Entry<String, Alone> alone : ALONE.entrySet()) {
      if (options.containsKey(alone.getKey())) {
        alone.getValue().run(options);
        return;
      }
    }
    System.out.printf("JVM start-up before main: %d ms (not included in any figure)%n", startup);
    new Benchmark(options).run();
  }

  private void run() throws Exception {
    Path dir = Path.of(option("dir", "/dev/shm/influxbak-bench"));
    int runs = Integer.parseInt(option("runs", "5"));
    PathUtils.deleteDirectory(dirIfExists(dir));
    Files.createDirectories(dir);
    try {
      Path small =
          TreeGenerator.smallFiles(
              dir.resolve("small"), Integer.parseInt(option("small", "20000")), 1);
      Path large =
          TreeGenerator.largeFiles(
              dir.resolve("large"), Long.parseLong(option("large-mib", "2000")) << 20, 2);
      System.out.printf(
          "Data: %s (small files), %s (Parquet files); %d runs each, median%n",
          Measurements.human(PathUtils.sizeOfDirectory(small)),
          Measurements.human(PathUtils.sizeOfDirectory(large)),
          runs);

      compare("small files, CRC32C", small, dir, runs, false, false, 1.1);
      compare("large files, CRC32C", large, dir, runs, false, false, 1.0);
      incremental("incremental of the unchanged small files vs listing them", small, dir, runs);
      incremental("incremental of the unchanged Parquet files vs listing them", large, dir, runs);
      compare("small files, CRC32C + SHA-256", small, dir, runs, true, false, null);
      compare("large files, CRC32C + SHA-256", large, dir, runs, true, false, null);
      summary.add(
          DeepVerifyComparison.run(
              large, dir, runs, Integer.parseInt(option("parallelism", "16"))));

      Path durableDir = Path.of(option("durable-dir", "target/bench-durable")).toAbsolutePath();
      PathUtils.deleteDirectory(dirIfExists(durableDir));
      Files.createDirectories(durableDir);
      try {
        Path durableSmall =
            TreeGenerator.smallFiles(
                durableDir.resolve("small"), Integer.parseInt(option("durable-small", "2000")), 3);
        compare(
            "durable small files (fsync, link, dir fsync) vs cp -r && sync",
            durableSmall,
            durableDir,
            runs,
            false,
            true,
            1.5);
      } finally {
        PathUtils.deleteDirectory(durableDir);
      }
    } finally {
      PathUtils.deleteDirectory(dir);
    }
    int heapObjects = Integer.parseInt(option("heap-objects", "1000000"));
    if (heapObjects > 0) {
      for (String shape : HeapProbe.SHAPES) {
        summary.add(HeapProbe.inChildJvm(heapObjects, "256m", shape));
      }
    }
    System.out.println();
    System.out.println("Summary");
    summary.forEach(line -> System.out.println("  " + line));
  }

  /**
   * Times {@code cp -r} (or {@code cp -r && sync}) and influxbak alternately on the same source
   * tree.
   */
  private void compare(
      String name,
      Path source,
      Path scratch,
      int runs,
      boolean sha256,
      boolean durable,
      Double target)
      throws Exception {
    List<Double> baseline = new ArrayList<>();
    List<Double> ours = new ArrayList<>();
    for (int run = 0; run < runs; run++) {
      Path cpTarget = scratch.resolve("cp-" + run);
      baseline.add(
          Measurements.time(
              () ->
                  Measurements.shell(
                      durable
                          ? "cp -r '" + source + "' '" + cpTarget + "' && sync"
                          : "cp -r '" + source + "' '" + cpTarget + "'")));
      PathUtils.deleteDirectory(cpTarget);

      Path ourTarget = Files.createDirectories(scratch.resolve("influxbak-" + run));
      // Unpinned: like cp -r, copy every object (the generated files are not real snapshots and
      // Parquet sets).
      BackupOptions.Builder options =
          BackupOptions.builder()
              .transfer(
                  TransferSettings.builder()
                      .parallelism(Integer.parseInt(option("parallelism", "16")))
                      .build())
              .backupId("run-" + run)
              .withoutPinning();
      if (!sha256) {
        options.withoutSha256();
      }
      BackupResult[] result = new BackupResult[1];
      ours.add(
          Measurements.time(
              () -> {
                try (FileSystemObjectStore from =
                        FileSystemObjectStore.open(source, SyncPolicy.NONE);
                    FileSystemObjectStore to =
                        FileSystemObjectStore.open(
                            ourTarget, durable ? SyncPolicy.FSYNC : SyncPolicy.NONE)) {
                  result[0] =
                      BackupPlan.core("node0").withOptions(options.build()).execute(from, to);
                }
              }));
      PathUtils.deleteDirectory(ourTarget);
      if (run == 0) {
        System.out.printf(
            "%n%s: %d objects, %s%n",
            name, result[0].objectCount(), Measurements.human(result[0].byteCount()));
      }
    }
    double b = Measurements.median(baseline);
    double o = Measurements.median(ours);
    String line =
        String.format(
            Locale.ROOT,
            "%-62s influxbak %.3f s, %s %.3f s, ratio %.2fx%s",
            name,
            o,
            durable ? "cp -r && sync" : "cp -r",
            b,
            o / b,
            target == null
                ? ""
                : String.format(
                    Locale.ROOT,
                    " (target <= %.1fx: %s)",
                    target,
                    o / b <= target ? "met" : "MISSED"));
    System.out.println("  runs influxbak " + seconds(ours) + " baseline " + seconds(baseline));
    System.out.println(line);
    summary.add(line);
  }

  /**
   * An incremental backup of an unchanged tree (its parent, a full backup, made first) against
   * listing the tree with {@code find -printf '%s %p'} (names and sizes, what a store listing
   * gives), alternately; counts the source objects the incremental backup reads (none is the
   * target).
   */
  private void incremental(String name, Path source, Path scratch, int runs) throws Exception {
    Path target = Files.createDirectories(scratch.resolve("incremental"));
    try {
      try (FileSystemObjectStore from = FileSystemObjectStore.open(source, SyncPolicy.NONE);
          FileSystemObjectStore to = FileSystemObjectStore.open(target, SyncPolicy.NONE)) {
        BackupPlan.core("node0")
            .withOptions(
                BackupOptions.builder().backupId("full").withoutPinning().withoutSha256().build())
            .execute(from, to);
      }
      List<Double> baseline = new ArrayList<>();
      List<Double> listing = new ArrayList<>();
      List<Double> ours = new ArrayList<>();
      java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();
      long[] reused = new long[2];
      for (int run = 0; run < runs; run++) {
        baseline.add(
            Measurements.time(
                () ->
                    Measurements.shell(
                        "find '" + source + "' -type f -printf '%s %p\\n' > /dev/null")));
        listing.add(
            Measurements.time(
                () -> {
                  try (FileSystemObjectStore from =
                          FileSystemObjectStore.open(source, SyncPolicy.NONE);
                      io.influxbak.store.ObjectIterator objects =
                          from.list(io.influxbak.store.KeyPrefix.ROOT)) {
                    while (objects.hasNext()) {
                      objects.next();
                    }
                  }
                }));
        String id = "inc-" + run;
        ours.add(
            Measurements.time(
                () -> {
                  try (FileSystemObjectStore from =
                          FileSystemObjectStore.open(source, SyncPolicy.NONE);
                      FileSystemObjectStore to =
                          FileSystemObjectStore.open(target, SyncPolicy.NONE)) {
                    BackupResult result =
                        BackupPlan.core("node0")
                            .withOptions(
                                BackupOptions.builder()
                                    .transfer(
                                        TransferSettings.builder()
                                            .parallelism(
                                                Integer.parseInt(option("parallelism", "16")))
                                            .build())
                                    .backupId(id)
                                    .withoutPinning()
                                    .withoutSha256()
                                    .build())
                            .execute(new CountingReads(from, reads), to);
                    reused[0] = result.reusedObjectCount();
                    reused[1] = result.objectCount();
                  }
                }));
        PathUtils.deleteDirectory(
            target.resolve(id)); // the next run builds on the full backup again
      }
      double b = Measurements.median(baseline);
      double l = Measurements.median(listing);
      double o = Measurements.median(ours);
      String line =
          String.format(
              Locale.ROOT,
              "%-62s influxbak %.3f s, listing through the store %.3f s (%.2fx), find %.3f s (%.2fx), %d of %d objects reused, %d source reads (target <= 1.1x the listing, 0 reads: %s)",
              name,
              o,
              l,
              o / l,
              b,
              o / b,
              reused[0],
              reused[1],
              reads.get(),
              o / l <= 1.1 && reads.get() == 0 ? "met" : "MISSED");
      System.out.println(
          "  runs influxbak "
              + seconds(ours)
              + " store listing "
              + seconds(listing)
              + " find "
              + seconds(baseline));
      System.out.println(line);
      summary.add(line);
    } finally {
      PathUtils.deleteDirectory(target);
    }
  }

  /**
   * Deep verify (re-read, CRC32C + SHA-256 of every object, framing of WAL and catalog files) of a
   * backup of the Parquet tree against {@code openssl dgst -sha256} over the same files,
   * alternately.
   */
  private String option(String name, String fallback) {
    return options.getOrDefault(name, fallback);
  }
}
