package io.influxbak.backup;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.Maps;
import io.influxbak.layout.ClusterId;
import io.influxbak.layout.CopyPhase;
import io.influxbak.layout.NodeId;
import io.influxbak.manifest.BackupManifest;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.manifest.ManifestFormat;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupJournal;
import io.influxbak.repository.ReuseHolders;
import io.influxbak.repository.ReuseIndex;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.transfer.AlongsideRead;
import io.influxbak.transfer.CopyStep;
import io.influxbak.transfer.ObjectFailure;
import io.influxbak.transfer.PhasedTransfer;
import io.influxbak.transfer.ReportedObject;
import io.influxbak.transfer.Retries;
import io.influxbak.transfer.ReusableCopies;
import io.influxbak.transfer.TransferFailedException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * What a backup run keeps without copying: the objects its journal recorded (a resumed run) and,
 * for an incremental backup, those of its parent, the newest complete backup it builds on; and the
 * proof, at the end of the run, that every reused object is still there.
 */
final class Reuse {
  private Reuse() {}

  /**
   * The run's reuse index, or empty when it has nothing to reuse (no journal, no parent).
   *
   * @param parent the parent's manifest ({@link #readParent})
   */
  static Optional<ReuseIndex> index(
      BackupRun run, BackupJournal.Recorded recorded, Optional<BackupManifest> parent) {
    if (recorded.objects().isEmpty() && parent.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new ReuseIndex(
            recorded.objects(),
            parent.map(BackupManifest::backupId),
            parent
                .map(p -> Maps.uniqueIndex(reusable(run, p), ManifestEntry::key))
                .orElse(ImmutableMap.of()),
            run.options.verifyReusedContent()));
  }

  /**
   * Starts reading the parent's manifest of an incremental run, on a thread of its own unless the
   * run's parallelism is 1: it is read while the source is planned (the two read different stores,
   * or different prefixes of one, and a million-object parent takes about as long to read as the
   * source takes to list and pin). Empty for a run that is not incremental.
   */
  static AlongsideRead<Optional<BackupManifest>> readParent(BackupRun run) {
    return AlongsideRead.start(
        "influxbak-parent-manifest",
        run.options.incremental() && run.options.transfer().parallelism() > 1,
        abandoned -> parent(run, abandoned));
  }

  /**
   * What of {@code parent} the run may reference: an encrypted backup only objects stored encrypted
   * (under the same key-encryption key, or the parent's manifest would not have read), a plain
   * backup only plain ones, so that neither leaks plaintext nor needs a key it was not given.
   */
  private static List<ManifestEntry> reusable(BackupRun run, BackupManifest parent) {
    boolean encrypted = run.options.encryption().isPresent();
    return parent.entries().stream()
        .filter(e -> e.stored().encoding().encrypted() == encrypted)
        .toList();
  }

  /**
   * The backup an incremental backup builds on: the newest complete one in the destination of the
   * same product and cluster that holds one of this plan's nodes. Only the newest is needed: an
   * object that an older backup holds and the newest lacks is no longer live at the source (names
   * are never reused).
   */
  private static Optional<BackupManifest> parent(BackupRun run, BooleanSupplier abandoned)
      throws IOException {
    if (!run.options.incremental()) {
      return Optional.empty();
    }
    Set<NodeId> ours = new HashSet<>(run.target.nodes());
    Optional<ClusterId> cluster = run.target.cluster();
    Optional<BackupManifest> newest =
        Retries.retrying(
                run.options.transfer().retryPolicy(),
                "list the backups of " + run.destination.id(),
                run.repository::completeHeaders)
            .stream()
            .filter(
                b ->
                    !b.backupId().equals(run.backupId.toString())
                        && b.product() == run.target.product()
                        && b.cluster().equals(cluster))
            .filter(b -> b.nodes().stream().anyMatch(ours::contains))
            // only a backup encrypted as this one is holds copies it may reference
            .filter(b -> encrypted(b) == run.options.encryption().isPresent())
            .max(
                Comparator.comparing(BackupManifest::createdAt)
                    .thenComparing(BackupManifest::backupId));
    if (newest.isEmpty()) {
      return Optional.empty();
    }
    return run.repository.readManifest(
        BackupId.of(newest.get().backupId()),
        ManifestFormat.DEFAULT_MAX_OBJECTS,
        entry -> {
          if (abandoned.getAsBoolean()) {
            throw new CancellationException("the backup no longer needs its parent manifest");
          }
        });
  }

  /** Whether {@code backup} was encrypted (its manifest's options name a key). */
  private static boolean encrypted(BackupManifest backup) {
    return !backup.options().getOrDefault("encryption", "none").equals("none");
  }

  /**
   * Proves that every object reused from an earlier backup is still there, and copies afresh any
   * that is not: a prune running meanwhile must not leave this backup pointing at nothing. While
   * the parent is still complete, that holds by construction (two requests); otherwise one listing
   * of each backup reused from checks every object's stored size.
   */
  static void recopyGone(BackupRun run) throws IOException {
    Optional<String> parentId = run.reuse.flatMap(ReuseIndex::parentId);
    if (parentId.isPresent()
        && run.repository.isComplete(BackupId.of(parentId.get()))
        && run.reuse.get().journalReusesNothing()
        && ReuseHolders.gone(run.destination, ReuseHolders.of(run.copied).keySet()).isEmpty()) {
      // Every object reused came from the parent's manifest, and a prune never deletes what a
      // remaining complete backup references: while the parent is complete, and no backup it
      // reuses from was deleted by hand (one request each), all of them are there.
      return;
    }
    Map<String, List<ManifestEntry>> byHolder = new TreeMap<>();
    for (ManifestEntry object : run.copied) {
      if (object.reused()) {
        byHolder
            .computeIfAbsent(object.stored().backupId().orElseThrow(), h -> new ArrayList<>())
            .add(object);
      }
    }
    List<ManifestEntry> gone = new ArrayList<>();
    for (Map.Entry<String, List<ManifestEntry>> holder : byHolder.entrySet()) {
      Map<ObjectKey, ObjectInfo> stored =
          run.repository.storedObjects(BackupId.of(holder.getKey()));
      for (ManifestEntry object : holder.getValue()) {
        ObjectInfo info = stored.get(object.stored().key(object.key(), run.backupId.toString()));
        if (info == null || info.size() != object.stored().size()) {
          gone.add(object);
        }
      }
    }
    if (gone.isEmpty()) {
      return;
    }
    run.copied.removeAll(gone);
    List<CopyStep> steps = new ArrayList<>();
    gone.forEach(o -> steps.add(new CopyStep(o.key(), o.kind(), o.phase(), o.size())));
    PhasedTransfer.Result again =
        run.transfer(
            run.target.order(),
            steps,
            "copy of objects gone from earlier backups",
            ReusableCopies.NONE);
    run.copied.addAll(again.copied());
    run.phases.addAll(again.phases());
    if (!again.vanished().isEmpty()) {
      ReportedObject lost = again.vanished().get(0);
      throw new TransferFailedException(
          "backup " + run.backupId,
          gone.stream()
              .filter(o -> o.key().equals(lost.key()))
              .findFirst()
              .map(ManifestEntry::phase)
              .orElse(CopyPhase.OTHER),
          ImmutableList.of(
              new ObjectFailure(
                  lost.key(),
                  "gone from the earlier backup it was reused from and from the source",
                  new ObjectNotFoundException(run.source.id(), lost.key()))));
    }
  }
}
