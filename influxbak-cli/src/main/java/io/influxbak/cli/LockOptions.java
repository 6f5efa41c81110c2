package io.influxbak.cli;

import io.influxbak.backup.RetentionLock;
import io.influxbak.retention.RetentionPolicy;
import io.influxbak.store.ObjectLock;
import io.influxbak.store.ObjectStore;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code backup --lock}: how long and how strictly the backup's objects are locked, given as a
 * period or derived from the retention policy of the {@code --keep-*} options prune takes.
 */
final class LockOptions {
  @Option(
      names = "--lock",
      paramLabel = "MODE[:PERIOD]",
      description =
          "Lock every object the backup needs against deletion and replacement (S3 Object Lock, Azure version-level immutability, GCS object retention; open the store with s3.object-lock, azure.immutability or gcs.object-retention). MODE: governance (an administrator with the right permission can lift it) or compliance (nobody can). PERIOD after the backup completes: 30d, 12h or ISO-8601 (P30D); without it, as long as the retention policy of the --keep-* options (the ones prune uses) can keep a backup taken every --backup-interval.")
  String lock;

  @Mixin PolicyOptions retention = new PolicyOptions();

  @Option(
      names = "--backup-interval",
      paramLabel = "DURATION",
      description =
          "With --lock MODE and a --keep-* policy: the longest time between two backups (ISO-8601). Default: ${DEFAULT-VALUE}.",
      defaultValue = "P1D")
  Duration backupInterval;

  /** The lock {@code --lock} asks for; empty without it. */
  Optional<RetentionLock> lock(CommandSpec spec) {
    return lock == null ? Optional.empty() : Optional.of(retentionLock(spec, lock));
  }

  /**
   * {@code --lock} on a store without object locks is a usage error, before anything is written.
   */
  void requireLocks(CommandSpec spec, ObjectStore destination) {
    if (lock != null && !destination.capabilities().objectLocks()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--lock: "
              + destination.id()
              + " has no object locks (S3: --store-property s3.object-lock=true on a bucket with Object Lock; Azure: azure.immutability=true; GCS: gcs.object-retention=true)");
    }
  }

  /**
   * {@code --lock MODE:PERIOD}, or {@code --lock MODE} for as long as the {@code --keep-*} policy
   * keeps a backup ({@link io.influxbak.retention.RetentionPolicy#longestKeep}).
   */
  private RetentionLock retentionLock(CommandSpec spec, String value) {
    int colon = value.indexOf(':');
    String mode = (colon < 0 ? value : value.substring(0, colon)).toUpperCase(Locale.ROOT);
    if (!mode.equals("GOVERNANCE") && !mode.equals("COMPLIANCE")) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--lock takes MODE:PERIOD or MODE, MODE governance or compliance (e.g. governance:30d),"
              + " not "
              + value);
    }
    if (colon < 0) {
      Optional<RetentionPolicy> policy;
      try {
        policy = retention.policy();
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      if (policy.isEmpty()) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--lock "
                + value
                + " without a period needs the retention policy: --keep-last, --keep-daily,"
                + " --keep-weekly or --keep-monthly (as prune takes them)");
      }
      return new RetentionLock(
          ObjectLock.Mode.valueOf(mode), policy.get().longestKeep(backupInterval));
    }
    String period = value.substring(colon + 1);
    try {
      Duration duration =
          period.matches("\\d+[dh]")
              ? (period.endsWith("d")
                  ? Duration.ofDays(Long.parseLong(period.substring(0, period.length() - 1)))
                  : Duration.ofHours(Long.parseLong(period.substring(0, period.length() - 1))))
              : Duration.parse(period);
      return new RetentionLock(ObjectLock.Mode.valueOf(mode), duration);
    } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--lock period " + period + " is not a positive 30d, 12h or ISO-8601 duration (P30D)");
    }
  }
}
