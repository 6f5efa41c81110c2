package io.influxbak.pin;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.Lists;
import io.influxbak.layout.CopyPhase;
import io.influxbak.layout.CoreLayout;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.NodeObject;
import io.influxbak.layout.ObjectKind;
import io.influxbak.snapshot.ListedLiveSet;
import io.influxbak.snapshot.ParquetFileRef;
import io.influxbak.snapshot.SnapshotFile;
import io.influxbak.snapshot.SnapshotFormatException;
import io.influxbak.snapshot.SnapshotReader;
import io.influxbak.snapshot.TableIndexFile;
import io.influxbak.store.ContentMismatchException;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectReader;
import io.influxbak.store.TransientStoreException;
import io.influxbak.transfer.CopyStep;
import io.influxbak.transfer.ReportedObject;
import io.influxbak.transfer.Retries;
import io.influxbak.transfer.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * Chooses what a pinned backup of one node copies. The snapshots are read first and the newest
 * becomes the pin (snapshot files are written after the Parquet files they list, so everything they
 * name already exists). Then:
 *
 * <ul>
 *   <li>Parquet: exactly the live set at the pin (snapshots folded over table indexes); files that
 *       no snapshot keeps live are left out (the server ignores them) unless orphans are kept. A
 *       listing is not a snapshot of the store: a live file it did not show is looked up, and
 *       copied if it is there;
 *   <li>WAL: every WAL file present (those after the pin's WAL sequence hold the newest writes).
 *       The server deletes WAL files only once a snapshot persisted them: a gap after the pin's WAL
 *       sequence, or a live Parquet file gone, while a newer snapshot exists, means the server has
 *       moved past the pin, and the caller lists again ({@link Selection#pinOutrun});
 *   <li>derived objects (table snapshots, table indexes, the conversion marker, snapshot
 *       checkpoints): all of them if every one provably belongs to a snapshot no newer than the
 *       pin, otherwise none (the server rebuilds them from the snapshots);
 *   <li>everything else as listed; the catalog is copied last by the copy order, and the logs
 *       written since the listing are added after every other phase ({@link CatalogTopUp}).
 * </ul>
 *
 * <p>Derived objects are judged once more from the backup's own copies when everything is copied
 * ({@link DerivedObjects}): the server rewrites them while they are copied.
 */
public final class PinnedSelection {

  /**
   * What to copy, what was left out or is absent, and the point the copy is consistent to.
   *
   * @param staleListing the listing predates a snapshot the selection found traces of: list again
   * @param pinOutrun objects the pin needs were gone before they could be listed (a live Parquet
   *     file, or a WAL file after the pin's WAL sequence) and a newer snapshot exists: the server
   *     has moved past the pin, and a copy of this selection would not be consistent
   */
  public record Selection(
      List<CopyStep> copy,
      List<ReportedObject> reported,
      Optional<ConsistencyPoint> point,
      boolean staleListing,
      boolean pinOutrun) {}

  private PinnedSelection() {}

  /**
   * @param listed the node's objects as planned steps (one compact value per object: a node can
   *     hold millions)
   * @throws SnapshotFormatException if a snapshot file cannot be parsed (the backup cannot prove
   *     what is live)
   */
  public static Selection select(
      ObjectReader source,
      NodeId node,
      List<CopyStep> listed,
      boolean keepOrphans,
      RetryPolicy retry)
      throws IOException {
    requireNonNull(source, "source is null");
    requireNonNull(node, "node is null");
    requireNonNull(listed, "listed is null");
    requireNonNull(retry, "retry is null");
    CoreLayout layout = CoreLayout.of(node);
    List<CopyStep> snapshots = new ArrayList<>();
    List<CopyStep> indexSteps = new ArrayList<>();
    for (CopyStep item : listed) {
      if (item.kind() == ObjectKind.SNAPSHOT) {
        snapshots.add(item);
      } else if (item.kind() == ObjectKind.TABLE_INDEX) {
        indexSteps.add(item);
      }
    }
    // A snapshot's name carries its sequence (the reader holds the body to it): the pin is known
    // before a byte is read, and the snapshots fold in ascending order as they are read.
    ToLongFunction<CopyStep> sequence = step -> layout.classify(step.key()).sequence().getAsLong();
    snapshots.sort(
        (a, b) -> Long.compareUnsigned(sequence.applyAsLong(a), sequence.applyAsLong(b)));
    long pinSequence =
        snapshots.isEmpty() ? 0L : sequence.applyAsLong(snapshots.get(snapshots.size() - 1));
    ListedLiveSet live =
        new ListedLiveSet(Lists.transform(listed, CopyStep::key), ParquetFileRef::maxTime);
    boolean derivedProvable = true;
    // A listing passes db-indices/ before snapshots/, and the index is read after both: an index
    // newer than every listed snapshot means a snapshot landed meanwhile; the caller lists again.
    boolean staleListing = false;
    for (CopyStep item : indexSteps) {
      NodeObject object = layout.classify(item.key());
      try {
        // Indexes are rewritten in place: read at their current size, not the listed one.
        Optional<TableIndexFile> index =
            Retries.retrying(
                retry,
                "read " + item.key(),
                () -> {
                  Optional<ObjectInfo> now = source.stat(item.key());
                  if (now.isEmpty()) {
                    return Optional.<TableIndexFile>empty();
                  }
                  try {
                    return Optional.of(
                        SnapshotReader.readIndex(source, item.key(), object, now.get().size()));
                  } catch (ContentMismatchException rewritten) {
                    // Rewritten between the stat and the read: worth another look at its size.
                    throw new TransientStoreException(
                        "Index " + item.key() + " was rewritten while read", rewritten);
                  }
                });
        if (index.isEmpty()) {
          derivedProvable = false; // deleted since listed (table dropped): the listing is no proof
        } else if (Long.compareUnsigned(index.get().latestSnapshotSequence(), pinSequence) > 0) {
          staleListing = true;
          derivedProvable = false;
        } else {
          // An index no newer than the pin is the truth about its table whether or not the
          // derived objects are copied: retention deletes Parquet files through it, and no
          // snapshot records that.
          live.foldIndex(index.get());
        }
      } catch (SnapshotFormatException e) {
        // An unreadable index proves nothing; its table's live set comes from snapshots alone.
        derivedProvable = false;
      }
    }
    Optional<SnapshotFile> pin = Optional.empty();
    for (CopyStep item : snapshots) {
      NodeObject object = layout.classify(item.key());
      pin =
          Optional.of(
              Retries.retrying(
                  retry,
                  "read " + item.key(),
                  () ->
                      live.foldSnapshot(
                          object.sequence().getAsLong(),
                          entries ->
                              SnapshotReader.read(
                                  source, item.key(), object, item.size(), entries))));
    }
    long pinWal = pin.map(SnapshotFile::walFileSequence).orElse(0L);
    for (CopyStep item : listed) {
      if (item.kind().derived() && item.kind() != ObjectKind.TABLE_INDEX) {
        derivedProvable &= derivedNotNewer(source, layout.classify(item.key()), pinSequence, retry);
      }
    }

    List<CopyStep> copy = new ArrayList<>();
    List<ReportedObject> reported = new ArrayList<>();
    int liveListed = 0;
    List<Long> walAfterPin = new ArrayList<>();
    int position = -1;
    for (CopyStep item : listed) {
      position++;
      switch (item.kind()) {
        case PARQUET:
          boolean isLive = live.isLiveAt(position);
          liveListed += isLive ? 1 : 0;
          if (isLive || keepOrphans) {
            copy.add(item);
          } else {
            reported.add(
                new ReportedObject(
                    item.key(),
                    item.kind(),
                    ReportedObject.Disposition.EXCLUDED,
                    live.isReferencedAt(position)
                        ? "removed by a snapshot at or before the pin; the server no longer reads it"
                        : "orphan: no snapshot or table index references it; the server ignores it"));
          }
          break;
        case WAL:
          long wal = layout.classify(item.key()).sequence().getAsLong();
          if (Long.compareUnsigned(wal, pinWal) > 0) {
            walAfterPin.add(wal);
          }
          copy.add(item);
          break;
        case TABLE_SNAPSHOT:
        case TABLE_INDEX:
        case TABLE_INDEX_CONVERSION_MARKER:
        case SNAPSHOT_CHECKPOINT:
          if (derivedProvable) {
            copy.add(item);
          } else {
            reported.add(
                new ReportedObject(
                    item.key(),
                    item.kind(),
                    ReportedObject.Disposition.EXCLUDED,
                    "derived objects are newer than the pinned snapshot or unreadable: all left out; the server rebuilds them from the snapshots"));
          }
          break;
        default:
          copy.add(item);
          break;
      }
    }
    boolean pinnedObjectGone = walGap(walAfterPin, pinWal);
    for (ParquetFileRef file : live.unlistedLive()) {
      // A listing is not a snapshot of the store: a file the pin names can have been written after
      // the listing passed its key (dbs/ lists before snapshots/). Only the store can say whether
      // it is absent.
      Optional<ObjectInfo> now =
          Retries.retrying(retry, "stat " + file.path(), () -> source.stat(file.path()));
      ObjectKind kind =
          layout
              .classify(file.path())
              .kind(); // PARQUET, or UNKNOWN for a key of another shape under dbs/
      Optional<CopyPhase> phase = CopyPhase.of(kind);
      if (now.isPresent() && phase.isPresent()) {
        copy.add(new CopyStep(file.path(), kind, phase.get(), now.get().size()));
      } else {
        pinnedObjectGone = true;
        reported.add(
            new ReportedObject(
                file.path(),
                ObjectKind.PARQUET,
                ReportedObject.Disposition.ABSENT,
                "referenced by the pinned snapshots but absent (retention or a hard delete may have removed it)"));
      }
    }
    // The server deletes WAL files only once a snapshot persisted them, and Parquet files a
    // snapshot removed only after writing it; with a newer snapshot present, what this listing
    // never saw is its doing. Without one, the absence is the store's own (a retention purge, an
    // operator) and the pin still holds.
    boolean pinOutrun = pinnedObjectGone && newerSnapshotExists(source, layout, pinSequence, retry);
    long newestTime = live.maxKept();
    Optional<ConsistencyPoint> point =
        pin.map(
            p ->
                new ConsistencyPoint(
                    node,
                    p.snapshotSequence(),
                    p.walFileSequence(),
                    newestTime,
                    walAfterPin.size()));
    return new Selection(copy, reported, point, staleListing || pinOutrun, pinOutrun);
  }

  /**
   * Whether the WAL sequences after {@code pinWal} skip a number (they follow it one by one on a
   * server).
   */
  private static boolean walGap(List<Long> walAfterPin, long pinWal) {
    walAfterPin.sort(Long::compareUnsigned);
    for (int i = 0; i < walAfterPin.size(); i++) {
      if (walAfterPin.get(i) != pinWal + 1 + i) {
        return true;
      }
    }
    return false;
  }

  /** Whether the node now holds a snapshot newer than {@code pin}. */
  private static boolean newerSnapshotExists(
      ObjectReader source, CoreLayout layout, long pin, RetryPolicy retry) throws IOException {
    return Retries.retrying(
        retry,
        "list the snapshots of " + layout.node().prefix(),
        () -> {
          try (ObjectIterator listing =
              source.list(layout.node().prefix().resolvePrefix("snapshots"))) {
            while (listing.hasNext()) {
              NodeObject object = layout.classify(listing.next().key());
              if (object.kind() == ObjectKind.SNAPSHOT
                  && Long.compareUnsigned(object.sequence().getAsLong(), pin) > 0) {
                return true;
              }
            }
          }
          return false;
        });
  }

  /**
   * Whether a derived object belongs to a snapshot no newer than the pin (false when that cannot be
   * shown).
   */
  private static boolean derivedNotNewer(
      ObjectReader source, NodeObject object, long pin, RetryPolicy retry) {
    if (object.kind() == ObjectKind.TABLE_INDEX_CONVERSION_MARKER) {
      try {
        byte[] bytes =
            Retries.retrying(
                retry,
                "read " + object.key(),
                () -> {
                  try (InputStream in = source.open(object.key())) {
                    return in.readNBytes(4096);
                  }
                });
        return Long.compareUnsigned(SnapshotReader.parseConversionMarker(object, bytes), pin) <= 0;
      } catch (IOException e) {
        return false;
      }
    }
    return object.sequence().isPresent()
        && Long.compareUnsigned(object.sequence().getAsLong(), pin) <= 0;
  }
}
