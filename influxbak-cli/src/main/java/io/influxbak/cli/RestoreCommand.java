package io.influxbak.cli;

import com.google.common.collect.ImmutableMap;
import io.influxbak.encryption.KeyEncryptionKey;
import io.influxbak.layout.CopyPhase;
import io.influxbak.restore.RestoreOptions;
import io.influxbak.restore.RestorePlan;
import io.influxbak.restore.RestorePreview;
import io.influxbak.restore.RestoreResult;
import io.influxbak.store.ObjectStore;
import io.influxbak.transfer.CopyStep;
import java.util.LinkedHashMap;
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

/** {@code influxbak restore}: restores a backup into empty node prefixes of a target store. */
@Command(
    name = "restore",
    mixinStandardHelpOptions = true,
    description = {
      "Restore a backup in the reverse of the backup order into a target store whose node prefixes are empty.",
      "Stop the InfluxDB server before, start it only after the restore has completed (Enterprise: the data nodes, then the compactor).",
      "A --target directory that does not exist yet is created."
    })
final class RestoreCommand implements Callable<Integer>, Operation {
  @ParentCommand Influxbak parent;
  @Spec CommandSpec spec;
  @Mixin CommonOptions common = new CommonOptions();
  @Mixin TransferOptions transfer = new TransferOptions();
  @Mixin MetricsOptions metrics = new MetricsOptions();
  @Mixin StoreOptions stores = new StoreOptions();
  @Mixin BackupsOptions backups = new BackupsOptions();
  @Mixin TargetOptions target = new TargetOptions();
  @Mixin KeyOptions keys = new KeyOptions();

  @Option(
      names = "--backup-id",
      converter = BackupIdOption.class,
      required = true,
      description = "The backup to restore.")
  String backupId;

  @Option(
      names = "--cluster",
      description = "Enterprise: the cluster id of the backup's cluster files.")
  String cluster;

  @Option(names = "--compactor", description = "Enterprise: the compactor node id.")
  String compactor;

  @Option(names = "--without-licenses", description = "Enterprise: leave the licence files out.")
  boolean withoutLicenses;

  @Option(
      names = "--accept-license-relocation",
      description =
          "Enterprise: restore licence files even where they may be invalid (another provider, bucket or path).")
  boolean acceptLicenseRelocation;

  @Option(
      names = "--dry-run",
      description =
          "Print the plan (objects, order, bytes, what the target holds) and write nothing.")
  boolean dryRun;

  @Option(
      names = "--replace",
      description =
          "Replace what the target's node prefixes hold (objects the backup lacks are deleted there, nowhere else).")
  boolean replace;

  @Option(
      names = "--resume",
      description =
          "Finish a restore into this target that failed or was killed: keep what it restored (size and CRC32C match), copy the rest.")
  boolean resume;

  @Option(
      names = "--allow-incomplete",
      description = "Restore a backup that has no manifest (unverified).")
  boolean allowIncomplete;

  @Override
  public MetricsOptions metrics() {
    return metrics;
  }

  @Override
  public String operation() {
    return "restore";
  }

  @Override
  public String subject() {
    return backupId;
  }

  @Override
  public Integer call() throws Exception {
    RestoreOptions.Builder options =
        RestoreOptions.builder().transfer(parent.transfer(common, transfer));
    Optional<KeyEncryptionKey> kek = keys.open();
    if (kek.isPresent()) {
      options.keys(kek.get());
    }
    if (withoutLicenses) {
      options.withoutLicenses();
    }
    if (acceptLicenseRelocation) {
      options.acceptLicenseRelocation();
    }
    if (replace) {
      options.replaceExisting();
    }
    if (allowIncomplete) {
      options.allowIncomplete();
    }
    if (resume) {
      if (replace) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--resume and --replace: choose one (finish it, or redo it)");
      }
      options.resume();
    }
    RestorePlan plan = RestorePlan.of(backupId).withOptions(options.build());
    if (cluster != null) {
      plan = plan.enterprise(cluster, compactor);
    }
    RestoreResult result;
    StoreEnd from = Ends.required(spec, backups.end());
    StoreEnd into = Ends.required(spec, target.end());
    if (parent.engine().isPresent() && !dryRun) {
      result =
          plan.execute(
              from.location(stores, false), into.location(stores, true), parent.engine().get());
    } else {
      try (ObjectStore backupStore = from.open(stores, false);
          ObjectStore targetStore = into.open(stores, !dryRun)) {
        if (dryRun) {
          return preview(plan.preview(backupStore, targetStore));
        }
        result = plan.execute(backupStore, targetStore);
      }
    }
    metrics.write(
        MetricsFile.ended(
                operation(), subject(), result.elapsed(), result.consistent(), metrics.metricsFile)
            .gauge("objects", "Objects restored.", result.objectCount())
            .gauge("bytes", "Bytes restored.", result.byteCount())
            .gauge(
                "consistent",
                "1 if the restored node(s) are consistent.",
                result.consistent() ? 1 : 0));
    parent.print(
        common,
        ImmutableMap.<String, Object>builder()
            .put("backupId", result.backupId())
            .put("source", result.source().toString())
            .put("target", result.target().toString())
            .put("nodes", result.nodes().stream().map(Object::toString).toList())
            .put("objects", result.objectCount())
            .put("bytes", result.byteCount())
            .put("elapsedMillis", result.elapsed().toMillis())
            .put("phases", Influxbak.phases(result.phases()))
            .put("consistent", result.consistent())
            .put("consistency", result.consistency().stream().map(CheckCommand::json).toList())
            .buildOrThrow(),
        String.format(
            "Restore of %s complete: %d objects, %s in %d ms into %s",
            result.backupId(),
            result.objectCount(),
            Sizes.human(result.byteCount()),
            result.elapsed().toMillis(),
            result.target()));
    // --quiet: the reports only when a restored node fails its check (the reason for exit 4).
    if (!common.json && (!common.quiet || !result.consistent())) {
      result.consistency().forEach(report -> CheckCommand.print(parent, report, false));
    }
    return result.consistent() ? ExitCodes.SUCCESS : ExitCodes.INCONSISTENT;
  }

  private int preview(RestorePreview preview) throws Exception {
    Map<CopyPhase, long[]> phases = new LinkedHashMap<>();
    for (CopyStep step : preview.steps()) {
      long[] counts = phases.computeIfAbsent(step.phase(), p -> new long[2]);
      counts[0]++;
      counts[1] += step.size();
    }
    parent.print(
        common,
        ImmutableMap.<String, Object>of(
            "backupId", preview.backupId(),
            "complete", preview.complete(),
            "objects", preview.steps().size(),
            "bytes", preview.byteCount(),
            "order",
                phases.entrySet().stream()
                    .<Map<String, Object>>map(
                        e ->
                            ImmutableMap.of(
                                "phase",
                                e.getKey().name(),
                                "objects",
                                e.getValue()[0],
                                "bytes",
                                e.getValue()[1]))
                    .toList(),
            "targetHolds", preview.existing().stream().map(Object::toString).toList()),
        String.format(
            "Dry run: would restore %d objects, %s, in this order:",
            preview.steps().size(), Sizes.human(preview.byteCount())));
    if (!common.json) {
      phases.forEach(
          (phase, counts) ->
              parent
                  .out()
                  .printf("  %-18s %6d objects %12s%n", phase, counts[0], Sizes.human(counts[1])));
      if (!preview.existing().isEmpty()) {
        parent
            .out()
            .println(
                "The target already holds objects there (the restore would refuse unless --replace): "
                    + preview.existing());
      }
    }
    return ExitCodes.SUCCESS;
  }
}
