package io.influxbak.benchmarks;

import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.store.fs.FileSystemObjectStore;
import io.influxbak.store.fs.SyncPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.io.file.PathUtils;

/** The in-process deep verify figure: {@code BackupVerifier.deep} against {@code openssl dgst}. */
final class DeepVerifyComparison {
  private DeepVerifyComparison() {}

  /**
   * Backs up {@code source} (unpinned) under {@code scratch}, then times a deep verify of it
   * against {@code openssl dgst -sha256} over its Parquet files, median of {@code runs}; prints the
   * runs and returns the figure's line.
   */
  static String run(Path source, Path scratch, int runs, int parallelism) throws Exception {
    Path backups = Files.createDirectories(scratch.resolve("verify"));
    try {
      try (FileSystemObjectStore from = FileSystemObjectStore.open(source, SyncPolicy.NONE);
          FileSystemObjectStore to = FileSystemObjectStore.open(backups, SyncPolicy.NONE)) {
        BackupPlan.core("node0")
            .withOptions(BackupOptions.builder().backupId("v").withoutPinning().build())
            .execute(from, to);
      }
      Path files = backups.resolve("v");
      List<Double> baseline = new ArrayList<>();
      List<Double> ours = new ArrayList<>();
      for (int run = 0; run < runs; run++) {
        baseline.add(
            Measurements.time(
                () ->
                    Measurements.shell(
                        "find '"
                            + files
                            + "' -name '*.parquet' -print0 | xargs -0 openssl dgst -sha256 > /dev/null")));
        ours.add(
            Measurements.time(
                () -> {
                  try (FileSystemObjectStore store =
                      FileSystemObjectStore.open(backups, SyncPolicy.NONE)) {
                    if (!io.influxbak.verify.BackupVerifier.deep(store, "v", parallelism)
                        .passed()) {
                      throw new IllegalStateException("deep verify failed on an intact backup");
                    }
                  }
                }));
      }
      double b = Measurements.median(baseline);
      double o = Measurements.median(ours);
      // A throughput figure: higher is better, so the ratio is openssl's time over ours.
      String line =
          String.format(
              Locale.ROOT,
              "%-62s influxbak %.3f s, openssl dgst -sha256 %.3f s, speed %.2fx (target >= 0.9x: %s)",
              "deep verify (CRC32C + SHA-256) vs openssl dgst -sha256",
              o,
              b,
              b / o,
              b / o >= 0.9 ? "met" : "MISSED");
      System.out.println(
          "  runs influxbak "
              + Measurements.seconds(ours)
              + " baseline "
              + Measurements.seconds(baseline));
      System.out.println(line);
      return line;
    } finally {
      PathUtils.deleteDirectory(backups);
    }
  }
}
