package io.influxbak.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import io.influxbak.layout.CoreLayout;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.NodeObject;
import io.influxbak.layout.ObjectKind;
import io.influxbak.snapshot.LiveParquetSet;
import io.influxbak.snapshot.ParquetFileRef;
import io.influxbak.snapshot.SnapshotFile;
import io.influxbak.snapshot.SnapshotFormatException;
import io.influxbak.snapshot.SnapshotReader;
import io.influxbak.snapshot.TableIndexFile;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.TransientStoreException;
import io.influxbak.transfer.ContentMismatchException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses what a pinned backup of one node copies. The snapshots are read first and the newest becomes the
 * pin (snapshot files are written after the Parquet files they list, so everything they name already
 * exists). Then:
 *
 * <ul>
 *   <li>Parquet: exactly the live set at the pin (snapshots folded over table indexes); files that no
 *       snapshot keeps live are left out (the server ignores them) unless orphans are kept;
 *   <li>WAL: every WAL file present (those after the pin's WAL sequence hold the newest writes);
 *   <li>derived objects (table snapshots, table indexes, the conversion marker, snapshot checkpoints): all of
 *       them if every one provably belongs to a snapshot no newer than the pin, otherwise none (the server
 *       rebuilds them from the snapshots);
 *   <li>everything else as listed; the catalog is copied last by the copy order.
 * </ul>
 */
final class PinnedSelection {
  static final Set<ObjectKind> DERIVED =
      ImmutableSet.of(ObjectKind.TABLE_SNAPSHOT, ObjectKind.TABLE_INDEX, ObjectKind.TABLE_INDEX_CONVERSION_MARKER, ObjectKind.SNAPSHOT_CHECKPOINT);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What to copy, what was left out or is absent, and the point the copy is consistent to. */
  record Selection(List<CopyStep> copy, List<ReportedObject> reported, Optional<ConsistencyPoint> point, boolean staleListing) {}

  private PinnedSelection() {}

  /**
   * @throws SnapshotFormatException if a snapshot file cannot be parsed (the backup cannot prove what is live)
   */
  /**
   * @param listed the node's objects as planned steps (one compact value per object: a node can hold millions)
   */
  static Selection select(ObjectStore source, NodeId node, List<CopyStep> listed, boolean keepOrphans, RetryPolicy retry) throws IOException {
    CoreLayout layout = CoreLayout.of(node);
    List<SnapshotFile> snapshots = new ArrayList<>();
    List<TableIndexFile> indexes = new ArrayList<>();
    boolean derivedProvable = true;
    for (CopyStep item : listed) {
      if (item.kind() == ObjectKind.SNAPSHOT) {
        NodeObject object = layout.classify(item.key());
        snapshots.add(Retries.retrying(retry, "read " + item.key(), () -> SnapshotReader.read(source, item.key(), object, item.size())));
      } else if (item.kind() == ObjectKind.TABLE_INDEX) {
        NodeObject object = layout.classify(item.key());
        try {
          // Indexes are rewritten in place: read at their current size, not the listed one.
          Optional<TableIndexFile> index =
              Retries.retrying(retry, "read " + item.key(), () -> {
                Optional<io.influxbak.store.ObjectInfo> now = source.stat(item.key());
                if (now.isEmpty()) {
                  return Optional.<TableIndexFile>empty();
                }
                try {
                  return Optional.of(SnapshotReader.readIndex(source, item.key(), object, now.get().size()));
                } catch (ContentMismatchException rewritten) {
                  // Rewritten between the stat and the read: worth another look at its new size.
                  throw new TransientStoreException("Index " + item.key() + " was rewritten while read", rewritten);
                }
              });
          if (index.isPresent()) {
            indexes.add(index.get());
          } else {
            derivedProvable = false; // deleted since listed (table dropped): the listing is no proof
          }
        } catch (SnapshotFormatException e) {
          derivedProvable = false; // an unreadable index proves nothing; the live set comes from snapshots alone
        }
      }
    }
    Optional<SnapshotFile> pin = snapshots.stream().max((a, b) -> Long.compareUnsigned(a.snapshotSequence(), b.snapshotSequence()));
    long pinSequence = pin.map(SnapshotFile::snapshotSequence).orElse(0L);
    long pinWal = pin.map(SnapshotFile::walFileSequence).orElse(0L);
    LiveParquetSet live = LiveParquetSet.fold(snapshots, derivedProvable ? indexes : ImmutableList.of());
    // A listing passes db-indices/ before snapshots/, and the index is read after both: an index newer than
    // every listed snapshot means a snapshot landed meanwhile; the caller lists again.
    boolean staleListing = false;
    for (TableIndexFile index : indexes) {
      boolean newer = Long.compareUnsigned(index.latestSnapshotSequence(), pinSequence) > 0;
      staleListing |= newer;
      derivedProvable &= !newer;
    }
    for (CopyStep item : listed) {
      if (DERIVED.contains(item.kind()) && item.kind() != ObjectKind.TABLE_INDEX) {
        derivedProvable &= derivedNotNewer(source, layout.classify(item.key()), pinSequence, retry);
      }
    }

    List<CopyStep> copy = new ArrayList<>();
    List<ReportedObject> reported = new ArrayList<>();
    Set<ObjectKey> present = new HashSet<>();
    long walBeyond = 0;
    for (CopyStep item : listed) {
      switch (item.kind()) {
        case PARQUET:
          present.add(item.key());
          if (live.files().containsKey(item.key()) || keepOrphans) {
            copy.add(item);
          } else {
            reported.add(
                new ReportedObject(
                    item.key(), item.kind(), ReportedObject.Disposition.EXCLUDED,
                    live.referenced().contains(item.key())
                        ? "removed by a snapshot at or before the pin; the server no longer reads it"
                        : "orphan: no snapshot or table index references it; the server ignores it"));
          }
          break;
        case WAL:
          walBeyond += Long.compareUnsigned(layout.classify(item.key()).sequence().getAsLong(), pinWal) > 0 ? 1 : 0;
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
                    item.key(), item.kind(), ReportedObject.Disposition.EXCLUDED,
                    "derived objects are newer than the pinned snapshot or unreadable: all left out; the server rebuilds them from the snapshots"));
          }
          break;
        default:
          copy.add(item);
          break;
      }
    }
    for (ParquetFileRef file : live.files().values()) {
      if (!present.contains(file.path())) {
        reported.add(
            new ReportedObject(
                file.path(), ObjectKind.PARQUET, ReportedObject.Disposition.ABSENT,
                "referenced by the pinned snapshots but absent (retention or a hard delete may have removed it)"));
      }
    }
    long newestTime = live.files().values().stream().mapToLong(ParquetFileRef::maxTime).max().orElse(Long.MIN_VALUE);
    final long beyond = walBeyond;
    Optional<ConsistencyPoint> point = pin.map(p -> new ConsistencyPoint(node, p.snapshotSequence(), p.walFileSequence(), newestTime, beyond));
    return new Selection(copy, reported, point, staleListing);
  }

  /** Whether a derived object belongs to a snapshot no newer than the pin (false when that cannot be shown). */
  private static boolean derivedNotNewer(ObjectStore source, NodeObject object, long pin, RetryPolicy retry) {
    if (object.kind() == ObjectKind.TABLE_INDEX_CONVERSION_MARKER) {
      try {
        byte[] bytes = Retries.retrying(retry, "read " + object.key(), () -> {
          try (InputStream in = source.open(object.key())) {
            return in.readNBytes(4096);
          }
        });
        JsonNode marker = JSON.readTree(bytes);
        JsonNode last = marker == null ? null : marker.get("last_sequence_number");
        return last != null && last.isIntegralNumber() && Long.compareUnsigned(last.asLong(), pin) <= 0;
      } catch (IOException e) {
        return false;
      }
    }
    return object.sequence().isPresent() && Long.compareUnsigned(object.sequence().getAsLong(), pin) <= 0;
  }
}
