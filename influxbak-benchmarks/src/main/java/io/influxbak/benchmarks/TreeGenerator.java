package io.influxbak.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes node trees shaped like real ones: many small WAL and snapshot files, or Parquet files of
 * KBs to 64 MiB.
 */
final class TreeGenerator {
  private static final int BLOCK = 1 << 20;

  private TreeGenerator() {}

  /**
   * {@code count} files of 1 to 8 KiB under {@code <data>/node0/wal} (nine in ten) and {@code
   * snapshots}.
   */
  static Path smallFiles(Path data, int count, long seed) throws IOException {
    Random random = new Random(seed);
    byte[] block = Measurements.randomBlock(seed, BLOCK);
    Path wal = Files.createDirectories(data.resolve("node0/wal"));
    Path snapshots = Files.createDirectories(data.resolve("node0/snapshots"));
    for (int i = 0; i < count; i++) {
      int size = 1024 + random.nextInt(7 * 1024 + 1);
      Path file =
          i % 10 == 9
              ? snapshots.resolve(
                  String.format("%20s", Long.toUnsignedString(~(long) i)).replace(' ', '0')
                      + ".info.json")
              : wal.resolve(String.format("%011d.wal", i + 1));
      try (OutputStream out = Files.newOutputStream(file)) {
        out.write(block, random.nextInt(BLOCK - size), size);
      }
    }
    return data;
  }

  /**
   * Parquet files of log-uniform sizes from 4 KiB to 64 MiB, {@code totalBytes} in all, under
   * {@code <data>/node0/dbs}.
   */
  static Path largeFiles(Path data, long totalBytes, long seed) throws IOException {
    Random random = new Random(seed);
    byte[] block = Measurements.randomBlock(seed, BLOCK);
    long written = 0;
    for (int i = 0; written < totalBytes; i++) {
      long size =
          Math.min(
              totalBytes - written,
              (long)
                  Math.exp(
                      Math.log(4096)
                          + random.nextDouble() * (Math.log(64 << 20) - Math.log(4096))));
      Path file =
          data.resolve(
              String.format(
                  "node0/dbs/1/%d/2026-11-24/10-%02d/%010d.parquet", i % 7, i % 60, i + 1));
      Files.createDirectories(file.getParent());
      try (OutputStream out = Files.newOutputStream(file)) {
        long left = size;
        while (left > 0) {
          int chunk = (int) Math.min(left, BLOCK - 4096);
          out.write(block, random.nextInt(4096), chunk);
          left -= chunk;
        }
      }
      written += size;
    }
    return data;
  }
}
