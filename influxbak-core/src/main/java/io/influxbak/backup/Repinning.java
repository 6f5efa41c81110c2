package io.influxbak.backup;

import com.google.common.collect.ImmutableList;
import io.influxbak.layout.CopyOrder;
import io.influxbak.layout.CopyPhase;
import io.influxbak.layout.CoreLayout;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.ObjectKind;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.pin.CatalogTopUp;
import io.influxbak.pin.ConsistencyPoint;
import io.influxbak.pin.DerivedObjects;
import io.influxbak.pin.PinLostException;
import io.influxbak.pin.PinnedSelection;
import io.influxbak.repository.BackupView;
import io.influxbak.snapshot.SnapshotFormatException;
import io.influxbak.snapshot.SnapshotReader;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectReader;
import io.influxbak.transfer.CopyStep;
import io.influxbak.transfer.Listeners;
import io.influxbak.transfer.PhasedTransfer;
import io.influxbak.transfer.ReportedObject;
import io.influxbak.transfer.Retries;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a pinned backup does once its first pass is copied, while the server keeps writing: pins
 * again when objects the pin needed vanished or derived objects got ahead of it, tops the catalog
 * up with the logs written meanwhile, and leaves the derived objects out when, judged together,
 * they are not consistent with the pin. Each step works on the {@link BackupRun}'s state.
 */
final class Repinning {
  private static final Logger LOG = LoggerFactory.getLogger(Repinning.class);

  private Repinning() {}

  /**
   * When the server deleted objects the pin needed while they were being copied (a newer snapshot
   * removed a Parquet file, or WAL files it persisted were cleaned up), pins again to the newest
   * snapshot and copies what the new pin needs that the backup lacks, refreshing the checkpoints
   * and derived objects; a newer snapshot that removed the file or persisted those WAL files makes
   * the backup consistent again.
   *
   * @return the rounds that pinned again, over every node
   * @throws PinLostException after {@link SourceListing#MAX_REPINS} rounds that still lost needed
   *     objects
   */
  static int repin(BackupRun run, List<Scope> scopes) throws IOException {
    int rounds = 0;
    for (Scope scope : scopes) {
      if (scope.node().isEmpty()) {
        continue;
      }
      NodeId node = scope.node().get();
      for (int round = 1; ; round++) {
        String reason;
        if (lostPinnedObjects(run, node)) {
          reason = "the server deleted objects the pin needed while they were copied";
        } else if (Retries.retrying(
            run.options.transfer().retryPolicy(),
            "read the derived objects of " + node.prefix(),
            () -> derivedAhead(run, node))) {
          reason = "derived objects (table indexes, compactions) got ahead of the pin";
        } else {
          break;
        }
        if (round > SourceListing.MAX_REPINS) {
          throw new PinLostException(node.prefix(), SourceListing.MAX_REPINS);
        }
        LOG.info(
            "Backup {}: pinning {} again (round {}): {}",
            run.backupId,
            node.prefix(),
            round,
            reason);
        int pinRound = round;
        Listeners.tell(() -> run.options.transfer().progress().repinned(node, pinRound, reason));
        List<CopyStep> listed =
            SourceListing.list(run.source, scope, new ArrayList<>(), run.options.transfer());
        PinnedSelection.Selection selection =
            PinnedSelection.select(
                run.source,
                node,
                listed,
                run.options.keepOrphans(),
                run.options.transfer().retryPolicy());
        if (selection.staleListing()) {
          // an index absorbed a snapshot this listing missed: list again (counts as a round)
          continue;
        }
        run.absorb(
            run.transfer(
                run.target.order(),
                stepsForNewPin(run, node, selection),
                "re-pin " + round + " of " + node.prefix()));
        rounds++;
      }
    }
    return rounds;
  }

  /**
   * Moves the run to the pin {@code selection} found: drops the derived copies it leaves out and
   * the copies of objects rewritten in place, takes its point and absences, and returns what it
   * needs that the backup lacks.
   */
  private static List<CopyStep> stepsForNewPin(
      BackupRun run, NodeId node, PinnedSelection.Selection selection) throws IOException {
    Set<ObjectKey> have = new HashSet<>();
    run.copied.forEach(c -> have.add(c.key()));
    Set<ObjectKey> selected = new HashSet<>();
    selection.copy().forEach(step -> selected.add(step.key()));
    for (ManifestEntry earlier : List.copyOf(run.copied)) {
      if (earlier.key().isUnder(node.prefix())
          && earlier.kind().derived()
          && !selected.contains(earlier.key())) {
        // Derived objects are all in or all out: the new pin leaves them out, so our copies go.
        run.dropCopy(earlier);
        run.reported.add(
            new ReportedObject(
                earlier.key(),
                earlier.kind(),
                ReportedObject.Disposition.EXCLUDED,
                "derived objects left out at a re-pin: newer than the new pinned snapshot or"
                    + " unreadable; the server rebuilds them from the snapshots"));
      }
    }
    List<CopyStep> steps = new ArrayList<>();
    for (CopyStep item : selection.copy()) {
      ObjectKind kind = item.kind();
      boolean refresh = kind == ObjectKind.CATALOG_CHECKPOINT || kind.derived();
      if ((kind == ObjectKind.TABLE_SNAPSHOT && !run.options.includeTableSnapshots())
          || (have.contains(item.key()) && !refresh)) {
        continue;
      }
      if (have.contains(item.key())) {
        // Our own earlier copy of an object the server rewrites in place: replaced by its current
        // state.
        Optional<ManifestEntry> earlier =
            run.copied.stream().filter(c -> c.key().equals(item.key())).findFirst();
        if (earlier.isPresent()) {
          run.dropCopy(earlier.get());
        }
      }
      steps.add(item);
    }
    run.points.removeIf(p -> p.node().equals(node));
    selection.point().ifPresent(run.points::add);
    run.vanished.removeIf(v -> v.key().isUnder(node.prefix()));
    run.reported.removeIf(
        r ->
            r.key().isUnder(node.prefix()) && r.disposition() == ReportedObject.Disposition.ABSENT);
    run.reported.addAll(
        selection.reported().stream()
            .filter(r -> r.disposition() == ReportedObject.Disposition.ABSENT)
            .toList());
    return steps;
  }

  /**
   * Copies the catalog logs the server wrote since the plan's listing, after every other phase
   * (including re-pins): see {@link CatalogTopUp}.
   */
  static void topUpCatalog(BackupRun run, List<Scope> scopes) throws IOException {
    Set<ObjectKey> have = new HashSet<>(); // the catalog logs only: a backup can hold millions
    run.copied.forEach(
        c -> {
          if (c.kind() == ObjectKind.CATALOG_LOG) {
            have.add(c.key());
          }
        });
    List<CopyStep> steps = new ArrayList<>();
    for (Scope scope : scopes) {
      steps.addAll(
          Retries.retrying(
              run.options.transfer().retryPolicy(),
              "list the catalog of " + scope.prefix(),
              () ->
                  CatalogTopUp.missingLogs(run.source, scope.prefix(), scope.classifier(), have)));
    }
    if (!steps.isEmpty()) {
      PhasedTransfer.Result topUp =
          run.transfer(
              new CopyOrder(ImmutableList.of(CopyPhase.CATALOG_LOGS)),
              steps,
              "catalog top-up of " + run.backupId.root());
      run.copied.addAll(topUp.copied());
      run.phases.addAll(topUp.phases());
    }
  }

  /**
   * Derived objects are all in or all out: when the copies of a node's derived objects, judged
   * together, are not consistent with its pin ({@link DerivedObjects}), they are deleted from the
   * backup and reported; the server rebuilds them from the snapshots.
   */
  static void dropInconsistentDerived(BackupRun run) throws IOException {
    for (ConsistencyPoint point : run.points) {
      NodeId node = point.node();
      Optional<String> reason =
          Retries.retrying(
              run.options.transfer().retryPolicy(),
              "read the derived objects of " + node.prefix(),
              () ->
                  DerivedObjects.inconsistency(
                      run.view(), node, point.snapshotSequence(), run.copied));
      if (reason.isEmpty()) {
        continue;
      }
      for (ManifestEntry object : List.copyOf(run.copied)) {
        if (object.key().isUnder(node.prefix()) && object.kind().derived()) {
          run.dropCopy(object);
          run.reported.add(
              new ReportedObject(
                  object.key(),
                  object.kind(),
                  ReportedObject.Disposition.EXCLUDED,
                  "derived objects left out: "
                      + reason.get()
                      + "; the server rebuilds them from the snapshots"));
        }
      }
    }
  }

  /**
   * Whether a derived object the backup holds for {@code node} is ahead of the pin: the server
   * rewrote a table index or the conversion marker after the pin was taken and before its copy, so
   * it names files of snapshots the backup lacks.
   */
  private static boolean derivedAhead(BackupRun run, NodeId node) throws IOException {
    Optional<ConsistencyPoint> point =
        run.points.stream().filter(p -> p.node().equals(node)).findFirst();
    if (point.isEmpty()) {
      return false;
    }
    long pin = point.get().snapshotSequence();
    CoreLayout layout = CoreLayout.of(node);
    BackupView view = run.view();
    for (ManifestEntry object : run.copied) {
      if (!object.key().isUnder(node.prefix())) {
        continue;
      }
      try {
        if (object.kind() == ObjectKind.TABLE_INDEX) {
          long newest =
              SnapshotReader.parseIndex(layout.classify(object.key()), readAll(view, object.key()))
                  .latestSnapshotSequence();
          if (Long.compareUnsigned(newest, pin) > 0) {
            return true;
          }
        } else if (object.kind() == ObjectKind.TABLE_INDEX_CONVERSION_MARKER) {
          long last =
              SnapshotReader.parseConversionMarker(
                  layout.classify(object.key()), readAll(view, object.key()));
          if (Long.compareUnsigned(last, pin) > 0) {
            return true;
          }
        }
      } catch (SnapshotFormatException e) {
        return true; // unprovable now: the next round decides afresh
      }
    }
    return false;
  }

  private static byte[] readAll(ObjectReader store, ObjectKey key) throws IOException {
    try (InputStream in = store.open(key)) {
      return in.readNBytes((int) SnapshotReader.MAX_FILE_BYTES);
    }
  }

  /**
   * Whether objects the node's pin needs vanished: a live Parquet file, or a WAL file after the
   * pin.
   */
  private static boolean lostPinnedObjects(BackupRun run, NodeId node) {
    Optional<ConsistencyPoint> point =
        run.points.stream().filter(p -> p.node().equals(node)).findFirst();
    long pinWal = point.map(ConsistencyPoint::walSequence).orElse(0L);
    CoreLayout layout = CoreLayout.of(node);
    for (ReportedObject gone : run.vanished) {
      if (!gone.key().isUnder(node.prefix())) {
        continue;
      }
      if (gone.kind() == ObjectKind.PARQUET) {
        return true;
      }
      if (gone.kind() == ObjectKind.WAL
          && Long.compareUnsigned(layout.classify(gone.key()).sequence().getAsLong(), pinWal) > 0) {
        return true;
      }
    }
    return false;
  }
}
