package io.influxbak.restore;

import io.influxbak.encryption.DataKey;
import io.influxbak.manifest.Encoding;
import io.influxbak.manifest.StoredCopy;
import io.influxbak.store.ExpectedContent;
import io.influxbak.store.HashingInputStream.Hashes;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.WriteMode;
import io.influxbak.task.CopyJob;
import io.influxbak.task.Distribution;
import io.influxbak.task.EngineCopy;
import io.influxbak.transfer.Compression;
import io.influxbak.transfer.CopyExecutor;
import io.influxbak.transfer.CopySettings;
import io.influxbak.transfer.CopyStep;
import io.influxbak.transfer.ObjectCopier;
import io.influxbak.transfer.PhaseRunner;
import io.influxbak.transfer.PhasedTransfer;
import io.influxbak.transfer.ReusableCopies;
import io.influxbak.transfer.TransferSettings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The copies of a restore: each object from where the backup stores it, decoded, checked against
 * the manifest as it streams; made here on the restore's executor or handed to an engine in tasks
 * ({@link EngineCopy}).
 */
final class RestoreCopies {
  private RestoreCopies() {}

  static PhasedTransfer.Result transfer(
      RestoreOptions options,
      Optional<Distribution> distribution,
      RestorePlanner.Planned planned,
      String backupId,
      Map<String, DataKey> dataKeys,
      ObjectStore backupStore,
      ObjectStore target,
      List<CopyStep> steps)
      throws IOException {
    TransferSettings transfer = options.transfer();
    String operation = "restore of " + planned.backupRoot();
    // A fresh restore has claimed its empty node prefixes (lease, restore marker): objects are
    // created in place, and the marker's delete after the last one publishes them. A resumed one
    // holds them the same way; what is there, the interrupted restore left.
    WriteMode mode =
        options.replaceExisting()
            ? WriteMode.REPLACE
            : options.resume()
                ? WriteMode.REPLACE_IN_CLAIMED_ROOT
                : WriteMode.CREATE_IN_CLAIMED_ROOT;
    Map<ObjectKey, StoredCopy> stored = planned.stored();
    KeyPrefix backupRoot = planned.backupRoot();
    Map<ObjectKey, ExpectedContent> expected = planned.expected();
    CopySettings settings =
        new CopySettings(
            mode,
            Hashes.CRC32C_AND_SHA256,
            transfer.retryPolicy(),
            transfer.cancellation(),
            operation,
            Compression.none(),
            Optional.empty(),
            ReusableCopies.NONE,
            transfer.progress());
    ObjectCopier copier =
        new ObjectCopier(
            backupStore,
            step -> {
              StoredCopy copy = stored.get(step.key());
              return copy == null
                  ? new ObjectCopier.Source(backupRoot.resolve(step.key()), Encoding.IDENTITY)
                  : new ObjectCopier.Source(
                      copy.key(step.key(), backupId),
                      copy.encoding(),
                      Optional.ofNullable(dataKeys.get(copy.holder(backupId))));
            },
            target,
            KeyPrefix.ROOT,
            settings);
    Function<CopyStep, Optional<ExpectedContent>> expectedOf =
        step -> Optional.ofNullable(expected.get(step.key()));
    if (distribution.isPresent()) {
      CopyJob job =
          new CopyJob(
              operation,
              distribution.get().source(),
              distribution.get().destination(),
              KeyPrefix.ROOT,
              new CopyJob.Settings(
                  mode,
                  Hashes.CRC32C_AND_SHA256,
                  Compression.none(),
                  transfer.retryPolicy(),
                  transfer.parallelism(),
                  false),
              Optional.empty());
      return PhasedTransfer.run(
          operation,
          planned.order(),
          new ArrayList<>(steps),
          transfer.progress(),
          new EngineCopy(distribution.get().engine(), copier, job, kind -> false, expectedOf));
    }
    try (CopyExecutor executor = new CopyExecutor(transfer.executor(), transfer.parallelism())) {
      return PhasedTransfer.run(
          operation,
          planned.order(),
          new ArrayList<>(steps),
          transfer.progress(),
          PhasedTransfer.local(
              copier,
              new PhaseRunner(
                  executor.executor(), transfer.parallelism(), transfer.cancellation(), operation),
              kind -> false,
              expectedOf));
    }
  }
}
