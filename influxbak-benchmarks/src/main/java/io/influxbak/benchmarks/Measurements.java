package io.influxbak.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** Timing, medians, sizes and heap figures shared by the benchmarks. */
final class Measurements {
  private Measurements() {}

  /** A measured action. */
  interface Timed {
    void run() throws Exception;
  }

  /** Seconds {@code timed} took. */
  static double time(Timed timed) throws Exception {
    long start = System.nanoTime();
    timed.run();
    return (System.nanoTime() - start) / 1e9;
  }

  /** Runs a baseline shell command, failing if it fails. */
  static void shell(String command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("sh", "-c", command).inheritIO().start();
    if (process.waitFor() != 0) {
      throw new IOException("Baseline failed: " + command);
    }
  }

  /** Each value in seconds, three decimals. */
  static String seconds(List<Double> values) {
    return values.stream().map(v -> String.format(Locale.ROOT, "%.3f", v)).toList().toString();
  }

  /** {@code dir}, created if missing. */
  static Path dirIfExists(Path dir) throws IOException {
    return Files.exists(dir) ? dir : Files.createDirectories(dir);
  }

  /** The median of {@code values}. */
  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** Bytes as MiB or GiB. */
  static String human(long bytes) {
    return bytes >= 1L << 30
        ? String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30))
        : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
  }

  /** Peak heap use so far, over all heap pools. */
  static long peakHeap() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }

  /** Deterministic random bytes, reused so that generating gigabytes costs little. */
  static byte[] randomBlock(long seed, int size) {
    byte[] block = new byte[size];
    new Random(seed).nextBytes(block);
    return block;
  }
}
