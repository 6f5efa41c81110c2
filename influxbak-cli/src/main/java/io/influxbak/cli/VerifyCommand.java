package io.influxbak.cli;

import com.google.common.collect.ImmutableMap;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupLookup;
import io.influxbak.store.ObjectStore;
import io.influxbak.verify.BackupVerifier;
import io.influxbak.verify.VerifyFinding;
import io.influxbak.verify.VerifyReport;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code influxbak verify}: checks a backup against its manifest; exit 3 when it is not intact. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Verify a backup against its manifest. Shallow (default): every object exists with its size and the store's",
      "native checksum, reading no object data where the store keeps checksums. --deep: re-read and re-hash every",
      "object and check the internal CRC framing of WAL and catalog files. Exit code 3 when anything is wrong."
    })
final class VerifyCommand implements Callable<Integer> {
  @ParentCommand Influxbak parent;
  @Mixin CommonOptions common = new CommonOptions();
  @Mixin StoreOptions stores = new StoreOptions();

  @Option(names = "--from", required = true, description = "The store holding the backup.")
  URI from;

  @Option(
      names = "--backup-id",
      converter = BackupIdOption.class,
      required = true,
      description = "The backup to verify.")
  String backupId;

  @Option(
      names = "--deep",
      description = "Re-read every object (and check WAL and catalog framing).")
  boolean deep;

  @Override
  public Integer call() throws Exception {
    VerifyReport report;
    try (ObjectStore store = stores.open(from)) {
      // An id that names nothing, or a retired backup, is a failed request (exit 1), not a damaged
      // backup (exit 3).
      BackupLookup.requireExisting(store, BackupId.of(backupId), "verify");
      report =
          deep
              ? BackupVerifier.deep(store, BackupId.of(backupId), parent.transfer(common))
              : BackupVerifier.shallow(store, BackupId.of(backupId), parent.transfer(common));
    }
    parent.print(
        common,
        ImmutableMap.<String, Object>of(
            "backupId", report.backupId(),
            "deep", report.deep(),
            "objectsChecked", report.objectsChecked(),
            "bytesRead", report.bytesRead(),
            "passed", report.passed(),
            "intact", report.intact(),
            "contentCompared", report.contentCompared(),
            "contentNotCompared", report.contentNotCompared(),
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
                    .toList()),
        String.format(
            "%s verify of %s: %d objects checked, %s read: %s",
            report.deep() ? "Deep" : "Shallow",
            report.backupId(),
            report.objectsChecked(),
            Sizes.human(report.bytesRead()),
            verdict(report)));
    if (!common.json) {
      for (VerifyFinding finding : report.findings()) {
        parent.out().printf("  %s %s: %s%n", finding.problem(), finding.key(), finding.detail());
      }
    }
    return report.passed() ? ExitCodes.SUCCESS : ExitCodes.VERIFY_FAILED;
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
