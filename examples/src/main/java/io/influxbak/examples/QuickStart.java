package io.influxbak.examples;

import io.influxbak.backup.BackupPlan;
import io.influxbak.backup.BackupResult;
import io.influxbak.restore.RestorePlan;
import io.influxbak.restore.RestoreResult;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.ObjectStores;
import io.influxbak.transfer.PhaseResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The README's first command: creates a sample InfluxDB 3 Core node directory, backs it up,
 * restores the backup into a fresh directory and prints what each step did. Optional argument: the
 * working directory (default: a new temporary one).
 */
public final class QuickStart {
  private QuickStart() {}

  /** Runs the quick start. */
  public static void main(String[] args) throws IOException {
    Path work =
        args.length > 0
            ? Files.createDirectories(Path.of(args[0]))
            : Files.createTempDirectory("influxbak-quickstart");
    run(work, System.out);
  }

  /**
   * Runs the quick start in {@code work}, printing to {@code out}; returns the restore's result.
   */
  public static RestoreResult run(Path work, PrintStream out) throws IOException {
    Path data = Files.createDirectories(work.resolve("influxdb3-data"));
    Path backups = Files.createDirectories(work.resolve("backups"));
    Path restored = Files.createDirectories(work.resolve("restored"));
    SampleNode.create(data, "node0");
    out.println("Sample InfluxDB 3 Core node written to " + data.resolve("node0"));

    // Stores are found by URI through ServiceLoader; influxbak-fs provides file:.
    try (ObjectStore source = ObjectStores.open(data.toUri());
        ObjectStore destination = ObjectStores.open(backups.toUri());
        ObjectStore target = ObjectStores.open(restored.toUri())) {
      BackupResult backup = BackupPlan.core("node0").execute(source, destination);
      out.printf(
          "%nBackup %s: %d objects, %d bytes in %d ms -> %s%n",
          backup.backupId(),
          backup.objectCount(),
          backup.byteCount(),
          backup.elapsed().toMillis(),
          backups.resolve(backup.backupId()));
      print(out, backup.phases());
      backup
          .reported()
          .forEach(
              r -> out.printf("  reported %s: %s (%s)%n", r.disposition(), r.key(), r.reason()));

      RestoreResult restore = RestorePlan.of(backup.backupId()).execute(destination, target);
      out.printf(
          "%nRestore into %s: %d objects, %d bytes in %d ms%n",
          restored, restore.objectCount(), restore.byteCount(), restore.elapsed().toMillis());
      print(out, restore.phases());
      return restore;
    }
  }

  private static void print(PrintStream out, List<PhaseResult> phases) {
    for (PhaseResult phase : phases) {
      out.printf(
          "  %-18s %4d objects %10d bytes %6d ms%n",
          phase.phase(), phase.objects(), phase.bytes(), phase.elapsed().toMillis());
    }
  }
}
