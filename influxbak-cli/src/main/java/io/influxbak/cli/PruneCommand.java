package io.influxbak.cli;

import com.google.common.base.Stopwatch;
import com.google.common.collect.ImmutableMap;
import io.influxbak.encryption.KeyEncryptionKey;
import io.influxbak.lease.LeaseSettings;
import io.influxbak.retention.Prune;
import io.influxbak.retention.PruneDecision;
import io.influxbak.retention.PruneResult;
import io.influxbak.retention.RetentionPolicy;
import io.influxbak.store.ObjectStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code influxbak prune}: removes backups a retention policy does not keep. */
@Command(
    name = "prune",
    mixinStandardHelpOptions = true,
    description = {
      "Remove the backups a retention policy does not keep, never deleting an object a remaining backup needs.",
      "A backup is kept if any rule keeps it. Safe to interrupt: rerun it to finish. --dry-run changes nothing.",
      "Runs only while no backup into the store runs (its lease in influxbak-leases/); see --wait."
    })
final class PruneCommand implements Callable<Integer>, Operation {
  @ParentCommand Influxbak parent;
  @Spec CommandSpec spec;
  @Mixin CommonOptions common = new CommonOptions();
  @Mixin MetricsOptions metrics = new MetricsOptions();
  @Mixin StoreOptions stores = new StoreOptions();
  @Mixin BackupsOptions backups = new BackupsOptions();
  @Mixin KeyOptions keys = new KeyOptions();

  @Mixin PolicyOptions retention = new PolicyOptions();

  @Option(
      names = "--remove-incomplete-older-than",
      paramLabel = "DURATION",
      description =
          "Also remove incomplete (interrupted) backups started longer ago than this ISO-8601 duration, e.g. P7D. Default: keep them for --resume.")
  Duration incompleteAge;

  @Option(
      names = "--wait",
      paramLabel = "DURATION",
      description =
          "While a backup or another prune holds a lease in the store, wait up to this ISO-8601 duration (e.g. PT30M)"
              + " for it to end. Default: refuse at once (exit 5), naming the holder.")
  Duration waitForLeases;

  @Option(names = "--dry-run", description = "Print what would be removed; change nothing.")
  boolean dryRun;

  @Option(
      names = "--leave-unreadable",
      description =
          "Prune even while backups with an unreadable manifest exist (newer format, too large, damaged): leave them"
              + " alone and delete no data object of any backup. Default: refuse to prune.")
  boolean leaveUnreadable;

  @Override
  public MetricsOptions metrics() {
    return metrics;
  }

  @Override
  public String operation() {
    return dryRun ? "prune-dry-run" : "prune";
  }

  @Override
  public String subject() {
    return backups.location == null
        ? ""
        : io.influxbak.store.ObjectStores.redact(StoreEnd.toUri(backups.location));
  }

  @Override
  public Integer call() throws Exception {
    RetentionPolicy policy;
    try {
      policy =
          retention
              .policy()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "a retention policy must keep at least one backup"));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          e.getMessage() + " (give --keep-last, --keep-daily, --keep-weekly or --keep-monthly)");
    }
    Prune prune = Prune.of(policy).transfer(parent.cancellable());
    Optional<KeyEncryptionKey> kek = keys.open();
    if (kek.isPresent()) {
      prune = prune.keys(kek.get());
    }
    if (leaveUnreadable) {
      prune = prune.leaveUnreadable();
    }
    if (waitForLeases != null) {
      prune = prune.lease(LeaseSettings.defaults().withMaxWait(waitForLeases));
    }
    if (incompleteAge != null) {
      prune = prune.removeIncompleteStartedBefore(Instant.now().minus(incompleteAge));
    }
    PruneResult result;
    Stopwatch stopwatch = Stopwatch.createStarted();
    try (ObjectStore store = Ends.required(spec, backups.end()).open(stores, false)) {
      result = dryRun ? prune.dryRun(store) : prune.execute(store);
    }
    metrics.write(
        MetricsFile.ended(operation(), subject(), stopwatch.elapsed(), true, null)
            .gauge(
                "backups_kept",
                "Backups the policy keeps.",
                result.decisions().stream().filter(PruneDecision::keep).count())
            .gauge("backups_removed", "Backups removed.", result.removed().size())
            .gauge("objects_deleted", "Objects deleted.", result.objectsDeleted())
            .gauge("bytes_freed", "Bytes freed.", result.bytesFreed()));
    Map<String, Object> summary =
        ImmutableMap.<String, Object>builder()
            .put("dryRun", result.dryRun())
            .put(
                "backups",
                result.decisions().stream()
                    .<Map<String, Object>>map(
                        d ->
                            ImmutableMap.of(
                                "backupId",
                                d.backupId(),
                                "state",
                                d.state().name().toLowerCase(java.util.Locale.ROOT),
                                "keep",
                                d.keep(),
                                "reasons",
                                d.reasons()))
                    .toList())
            .put("objectsDeleted", result.objectsDeleted())
            .put("bytesFreed", result.bytesFreed())
            .put("removed", result.removed())
            .put("retained", result.retained())
            .put(
                "locked",
                result.locked().entrySet().stream()
                    .<Map<String, Object>>map(
                        e ->
                            ImmutableMap.of(
                                "backupId", e.getKey(),
                                "lock", e.getValue().toString(),
                                "retainUntil", e.getValue().retainUntil().toString()))
                    .toList())
            .buildOrThrow();
    parent.print(
        common,
        summary,
        String.format(
            "%s: %d backup(s) kept, %d removed, %d retired but still holding objects newer backups use or locks hold; %d objects, %s %s",
            result.dryRun() ? "Prune (dry run)" : "Prune",
            result.decisions().stream().filter(PruneDecision::keep).count(),
            result.removed().size(),
            result.retained().size(),
            result.objectsDeleted(),
            Sizes.human(result.bytesFreed()),
            result.dryRun() ? "would be freed" : "freed"));
    if (!common.json && !common.quiet) {
      for (PruneDecision decision : result.decisions()) {
        parent
            .out()
            .printf(
                "  %-6s %-32s %s%n",
                decision.keep() ? "keep" : "remove",
                decision.backupId(),
                String.join(", ", decision.reasons()));
      }
      parent
          .out()
          .printf(
              "  a lock covering this policy, with a backup at least daily: backup --lock governance:%dd"
                  + " (or backup --lock governance with the same --keep-* options)%n",
              policy.longestKeep(Duration.ofDays(1)).toDays());
      result
          .locked()
          .forEach(
              (id, lock) ->
                  parent
                      .out()
                      .printf(
                          "  locked %-32s objects held %s: retired; a prune after then removes them%n",
                          id, lock));
    }
    return ExitCodes.SUCCESS;
  }
}
