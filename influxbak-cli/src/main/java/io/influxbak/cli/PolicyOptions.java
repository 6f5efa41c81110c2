package io.influxbak.cli;

import io.influxbak.retention.RetentionPolicy;
import java.time.ZoneId;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The retention policy: what {@code prune} keeps, and what {@code backup --lock MODE} locks for as
 * long as. One set of options (and of {@code INFLUXBAK_KEEP_*} variables and {@code keep-*}
 * configuration keys) for both, so a backup is locked for as long as the policy its prunes follow
 * can keep it.
 */
final class PolicyOptions {
  @Option(names = "--keep-last", description = "Keep the newest N backups.", defaultValue = "0")
  int last;

  @Option(
      names = "--keep-daily",
      description = "Keep the newest backup of each of the newest N days with backups.",
      defaultValue = "0")
  int daily;

  @Option(
      names = "--keep-weekly",
      description = "Keep the newest backup of each of the newest N ISO weeks with backups.",
      defaultValue = "0")
  int weekly;

  @Option(
      names = "--keep-monthly",
      description = "Keep the newest backup of each of the newest N months with backups.",
      defaultValue = "0")
  int monthly;

  @Option(
      names = "--zone",
      description = "Time zone of the day, week and month lines. Default: ${DEFAULT-VALUE}.",
      defaultValue = "UTC")
  ZoneId zone;

  /** The policy the options give; empty when they keep nothing (no {@code --keep-*}). */
  Optional<RetentionPolicy> policy() {
    if (last < 0 || daily < 0 || weekly < 0 || monthly < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
    return last + daily + weekly + monthly == 0
        ? Optional.empty()
        : Optional.of(new RetentionPolicy(last, daily, weekly, monthly, zone));
  }
}
