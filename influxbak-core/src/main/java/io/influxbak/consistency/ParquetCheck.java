package io.influxbak.consistency;

import io.influxbak.consistency.Finding.Severity;
import io.influxbak.layout.NodeObject;
import io.influxbak.snapshot.ListedLiveSet;
import io.influxbak.snapshot.ParquetFileRef;
import io.influxbak.snapshot.SnapshotFile;
import io.influxbak.snapshot.SnapshotFormatException;
import io.influxbak.snapshot.SnapshotReader;
import io.influxbak.snapshot.TableIndexFile;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * The Parquet files of one checked node against its live set: every live file present at the size
 * its snapshot records, and every listed file referenced. The live set folds against the listed
 * keys ({@link ListedLiveSet}) as the snapshots stream in, in ascending sequence: a node of a
 * million files is never held as a million entries, nor as a map of keys to sizes (a check of a
 * million-object backup spent about 4 s building and collecting those).
 */
final class ParquetCheck {
  private final List<ObjectKey> keys = new ArrayList<>();
  private long[] sizes = new long[64];

  /** Adds a listed Parquet file. */
  void add(ObjectKey key, long size) {
    if (keys.size() == sizes.length) {
      sizes = Arrays.copyOf(sizes, sizes.length * 2);
    }
    sizes[keys.size()] = size;
    keys.add(key);
  }

  /** Whether no Parquet file was listed. */
  boolean isEmpty() {
    return keys.isEmpty();
  }

  /**
   * Reads {@code snapshots} from {@code store} under {@code root} at the sizes {@code listedSize}
   * gives and folds them, in ascending sequence, over {@code indexes}; adds an error to {@code
   * findings} for each snapshot that is not a readable snapshot file (it then adds nothing to the
   * live set).
   *
   * @return the live set and the snapshots read
   */
  Folded fold(
      ObjectReader store,
      KeyPrefix root,
      List<NodeObject> snapshots,
      ToLongFunction<ObjectKey> listedSize,
      List<TableIndexFile> indexes,
      List<Finding> findings)
      throws IOException {
    List<NodeObject> ascending = new ArrayList<>(snapshots);
    ascending.sort(
        (a, b) -> Long.compareUnsigned(a.sequence().getAsLong(), b.sequence().getAsLong()));
    // A snapshot found malformed part-way has already streamed some entries into the fold; the
    // fold starts again without it. Malformed snapshots are rare, and each costs one more pass.
    Map<ObjectKey, String> malformed = new HashMap<>();
    Map<ObjectKey, SnapshotFile> read = new HashMap<>();
    ListedLiveSet live;
    boolean complete;
    do {
      live = new ListedLiveSet(keys, ParquetFileRef::size);
      indexes.forEach(live::foldIndex);
      read.clear();
      complete = true;
      for (NodeObject object : ascending) {
        if (malformed.containsKey(object.key())) {
          continue;
        }
        try {
          read.put(
              object.key(),
              live.foldSnapshot(
                  object.sequence().getAsLong(),
                  entries ->
                      SnapshotReader.read(
                          store,
                          root.resolve(object.key()),
                          object,
                          listedSize.applyAsLong(object.key()),
                          entries)));
        } catch (SnapshotFormatException e) {
          malformed.put(object.key(), e.getMessage());
          complete = false;
          break;
        }
      }
    } while (!complete);
    List<SnapshotFile> inOrder = new ArrayList<>();
    for (NodeObject object : snapshots) {
      String reason = malformed.get(object.key());
      if (reason != null) {
        findings.add(new Finding(Severity.ERROR, object.key(), reason));
      } else {
        inOrder.add(read.get(object.key()));
      }
    }
    return new Folded(live, inOrder);
  }

  /** The listed Parquet files' live set, and the snapshots it was folded from. */
  final class Folded {
    private final ListedLiveSet live;
    private final List<SnapshotFile> snapshots;

    private Folded(ListedLiveSet live, List<SnapshotFile> snapshots) {
      this.live = live;
      this.snapshots = snapshots;
    }

    /** The snapshots read, without their entries, in the order the caller listed them. */
    List<SnapshotFile> snapshots() {
      return snapshots;
    }

    /**
     * Adds to {@code findings}: an error for each live file of another size than its snapshot
     * records; an error for each live file missing, or a warning if {@code absentAtSource} says the
     * source lacked it already; information for each orphan.
     */
    void report(Predicate<ObjectKey> absentAtSource, List<Finding> findings) {
      for (int position = 0; position < keys.size(); position++) {
        if (live.isLiveAt(position) && live.keptAt(position) != sizes[position]) {
          findings.add(
              new Finding(
                  Severity.ERROR,
                  keys.get(position),
                  "size " + sizes[position] + ", the snapshot records " + live.keptAt(position)));
        }
      }
      for (ParquetFileRef file : live.unlistedLive()) {
        findings.add(
            absentAtSource.test(file.path())
                ? new Finding(Severity.WARNING, file.path(), ConsistencyCheck.ABSENT_AT_SOURCE)
                : new Finding(
                    Severity.ERROR,
                    file.path(),
                    "referenced by a snapshot but missing from the backup"));
      }
      for (int position = 0; position < keys.size(); position++) {
        if (!live.isReferencedAt(position)) {
          findings.add(
              new Finding(
                  Severity.INFO,
                  keys.get(position),
                  "orphan: no snapshot or table index references it; the server ignores it"));
        }
      }
    }
  }
}
