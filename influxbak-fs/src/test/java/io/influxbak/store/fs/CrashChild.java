package io.influxbak.store.fs;

import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.lease.LeaseSettings;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.restore.RestoreOptions;
import io.influxbak.restore.RestorePlan;
import io.influxbak.transfer.ProgressListener;
import io.influxbak.transfer.RetryPolicy;
import io.influxbak.transfer.TransferSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one backup or restore between two directories; the crash test kills this process at a random
 * moment.
 */
public final class CrashChild {
  private CrashChild() {}

  /**
   * Starts this class in a child JVM on the test's class path, with {@code jvmOptions} (system
   * properties above) and the arguments {@link #main} takes; its output and errors on one stream.
   */
  static Process start(List<String> jvmOptions, List<String> arguments) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), CrashChild.class.getName()));
    command.addAll(arguments);
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  /**
   * Arguments: source directory, destination directory, node id, backup id, and "resume" to resume
   * it. System property {@code copyDelayMillis} slows every copy (so that a kill by time lands
   * mid-backup); {@code defaultJournal} keeps the default journal chunking; {@code leaseMillis}
   * shortens the lease (renewed every fifth of it), {@code leaseClockOffsetHours} runs the lease
   * clock that far ahead (so that an earlier killed run's lease is stale and taken over). With
   * "restore" first, it restores instead ({@link #restore}).
   */
  public static void main(String[] args) throws Exception {
    if (args[0].equals("restore")) {
      restore(args);
      return;
    }
    try (FileSystemObjectStore source = FileSystemObjectStore.open(Path.of(args[0]));
        FileSystemObjectStore destination = FileSystemObjectStore.open(Path.of(args[1]))) {
      ProgressListener progress = printingCopies();
      BackupOptions.Builder options =
          (args.length > 4
                  ? BackupOptions.builder().resume(args[3])
                  : BackupOptions.builder().backupId(args[3]))
              .transfer(TransferSettings.builder().parallelism(8).progress(progress).build());
      LeaseSettings lease = LeaseSettings.defaults();
      if (Long.getLong("leaseMillis") != null) {
        lease = lease.withDuration(Duration.ofMillis(Long.getLong("leaseMillis")));
      }
      if (Long.getLong("leaseClockOffsetHours") != null) {
        lease =
            lease.withTime(
                Clock.offset(
                    Clock.systemUTC(), Duration.ofHours(Long.getLong("leaseClockOffsetHours"))),
                RetryPolicy.Sleeper.REAL);
      }
      options.lease(lease);
      if (!Boolean.getBoolean("defaultJournal")) {
        options.journalEvery(10); // so that a kill leaves a journal for the resume to use
      }
      BackupPlan.core(args[2]).withOptions(options.build()).execute(source, destination);
    }
    System.out.println("done");
  }

  /** Arguments: "restore", the backups directory, the target directory, the backup id. */
  private static void restore(String[] args) throws IOException {
    try (FileSystemObjectStore backups = FileSystemObjectStore.open(Path.of(args[1]));
        FileSystemObjectStore target = FileSystemObjectStore.open(Path.of(args[2]))) {
      RestorePlan.of(args[3])
          .withOptions(
              RestoreOptions.builder()
                  .transfer(
                      TransferSettings.builder().parallelism(8).progress(printingCopies()).build())
                  .build())
          .execute(backups, target);
    }
    System.out.println("done");
  }

  /** One line per copied object, so that the parent can kill this process at a chosen point. */
  private static ProgressListener printingCopies() {
    return new ProgressListener() {
      @Override
      public void objectCopied(ManifestEntry object) {
        System.out.println("copied " + object.key());
        try {
          Thread.sleep(Long.getLong("copyDelayMillis", 0));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }
}
