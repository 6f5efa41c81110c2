package io.influxbak.cli;

import com.google.common.base.Stopwatch;
import com.google.common.collect.ImmutableMap;
import io.influxbak.manifest.BackupManifest;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupLookup;
import io.influxbak.repository.BackupRepository;
import io.influxbak.repository.BackupSummary;
import io.influxbak.store.ObjectStore;
import io.influxbak.verify.BackupVerifier;
import io.influxbak.verify.VerifyFinding;
import io.influxbak.verify.VerifyReport;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code influxbak verify}: checks a backup against its manifest; exit 3 when it is not intact. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Verify a backup against its manifest. Shallow (default): every object exists with its size and the store's",
      "native checksum, reading no object data where the store keeps checksums. --deep: re-read and re-hash every",
      "object and check the internal CRC framing of WAL and catalog files. Exit code 3 when anything is wrong."
    })
final class VerifyCommand implements Callable<Integer>, Operation {
  @ParentCommand Influxbak parent;
  @Spec CommandSpec spec;
  @Mixin CommonOptions common = new CommonOptions();
  @Mixin TransferOptions transfer = new TransferOptions();
  @Mixin MetricsOptions metrics = new MetricsOptions();
  @Mixin StoreOptions stores = new StoreOptions();
  @Mixin BackupsOptions backups = new BackupsOptions();
  @Mixin KeyOptions keys = new KeyOptions();

  @Option(
      names = "--backup-id",
      converter = BackupIdOption.class,
      description = "The backup to verify.")
  String backupId;

  @Option(
      names = "--latest",
      description =
          "Verify the newest complete backup in --backups (what a nightly job just wrote); one"
              + " that reuses objects of a deleted backup is verified, and fails.")
  boolean latest;

  @Option(
      names = "--deep",
      description = "Re-read every object (and check WAL and catalog framing).")
  boolean deep;

  @Override
  public MetricsOptions metrics() {
    return metrics;
  }

  @Override
  public String operation() {
    return deep ? "verify-deep" : "verify";
  }

  @Override
  public String subject() {
    // The store, not the backup id: a nightly verify --latest keeps one series.
    return backups.location == null
        ? ""
        : io.influxbak.store.ObjectStores.redact(StoreEnd.toUri(backups.location));
  }

  @Override
  public Integer call() throws Exception {
    VerifyReport report;
    Stopwatch stopwatch = Stopwatch.createStarted();
    if (latest == (backupId != null)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "Give the backup to verify: --backup-id ID or --latest");
    }
    try (ObjectStore store = Ends.required(spec, backups.end()).open(stores, false)) {
      if (latest) {
        backupId = newestComplete(store);
      }
      // An id that names nothing, or a retired backup, is a failed request (exit 1), not a damaged
      // backup (exit 3).
      BackupLookup.requireExisting(store, BackupId.of(backupId), "verify");
      report =
          deep
              ? BackupVerifier.deep(
                  store, BackupId.of(backupId), parent.transfer(common, transfer), keys.keys())
              : BackupVerifier.shallow(
                  store, BackupId.of(backupId), parent.transfer(common, transfer), keys.keys());
    }
    parent.print(
        common,
        ImmutableMap.<String, Object>builder()
            .put("backupId", report.backupId())
            .put("deep", report.deep())
            .put("objectsChecked", report.objectsChecked())
            .put("bytesRead", report.bytesRead())
            .put("passed", report.passed())
            .put("intact", report.intact())
            .put("contentCompared", report.contentCompared())
            .put("contentNotCompared", report.contentNotCompared())
            .put("lock", report.lock().map(Object::toString).orElse(""))
            .put(
                "findings",
                report.findings().stream()
                    .<java.util.Map<String, Object>>map(
                        f ->
                            ImmutableMap.of(
                                "key",
                                f.key().toString(),
                                "problem",
                                f.problem().name(),
                                "detail",
                                f.detail()))
                    .toList())
            .buildOrThrow(),
        String.format(
            "%s verify of %s: %d objects checked, %s read: %s%s",
            report.deep() ? "Deep" : "Shallow",
            report.backupId(),
            report.objectsChecked(),
            Sizes.human(report.bytesRead()),
            verdict(report),
            report.lock().map(l -> "; the earliest lock on an object it needs: " + l).orElse("")));
    if (!common.json) {
      for (VerifyFinding finding : report.findings()) {
        parent.out().printf("  %s %s: %s%n", finding.problem(), finding.key(), finding.detail());
      }
    }
    metrics.write(
        MetricsFile.ended(
                operation(), subject(), stopwatch.elapsed(), report.passed(), metrics.metricsFile)
            .gauge("objects", "Objects checked.", report.objectsChecked())
            .gauge("bytes_read", "Bytes read.", report.bytesRead())
            .gauge(
                "findings", "Problems found (0 when the backup passed).", report.findings().size())
            .gauge("passed", "1 if nothing wrong was found.", report.passed() ? 1 : 0)
            .gauge(
                "intact",
                "1 if nothing wrong was found and every object's content was compared.",
                report.intact() ? 1 : 0));
    return report.passed() ? ExitCodes.SUCCESS : ExitCodes.VERIFY_FAILED;
  }

  /**
   * The id of the newest backup in {@code store} with a manifest that reads here, by creation time:
   * chosen from the manifests' headers, without reading every backup's entries. A newest backup
   * that reuses objects of a deleted one is chosen, and its verify reports them missing, rather
   * than passed over for an older one.
   */
  private String newestComplete(ObjectStore store) throws java.io.IOException {
    BackupRepository repository = BackupRepository.of(store, keys.keys());
    Optional<String> newest =
        repository.completeHeaders().stream()
            .max(java.util.Comparator.comparing(BackupManifest::createdAt))
            .map(BackupManifest::backupId);
    if (newest.isPresent()) {
      return newest.get();
    }
    // Encrypted backups read without their key are unreadable, not absent: say so.
    Optional<BackupSummary> unreadable =
        repository.list().stream()
            .filter(b -> b.state() == BackupSummary.State.UNREADABLE)
            .findFirst();
    throw new java.io.IOException(
        "No complete backup in "
            + store.id()
            + " to verify (--latest)"
            + unreadable
                .map(
                    b ->
                        "; backup "
                            + b.backupId()
                            + " does not read here: "
                            + b.problem().orElse("unknown"))
                .orElse(""));
  }

  /** "intact" only when every object's content was compared; sizes alone never earn it. */
  private static String verdict(VerifyReport report) {
    if (!report.passed()) {
      return report.findings().size() + " problem(s)";
    }
    if (report.intact()) {
      return "intact (size and content of every object compared"
          + (report.deep() ? ", every byte read)" : " by the store's CRC32C)");
    }
    long notCompared = report.objectsChecked() - report.contentCompared();
    return "sizes match; content of "
        + notCompared
        + " object(s) not compared ("
        + report.contentNotCompared().entrySet().stream()
            .map(e -> e.getKey() + ": " + e.getValue())
            .collect(java.util.stream.Collectors.joining("; "))
        + "): run --deep";
  }
}
