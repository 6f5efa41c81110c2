package io.influxbak.pin;

import static java.util.Objects.requireNonNull;

import io.influxbak.layout.CoreLayout;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.NodeObject;
import io.influxbak.layout.ObjectKind;
import io.influxbak.manifest.ManifestEntry;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Judges the derived objects a backup ended up holding for one node, as a whole, from the copies
 * themselves. They are read, copied and rewritten by the server at different moments, so whatever
 * was proven when they were selected, only the copies say what a restore gets. They are consistent
 * with the pin when none is newer than it (conversion marker, table indexes, table snapshots,
 * snapshot checkpoints) and every table snapshot the marker announced that a table's index has not
 * absorbed yet is there: the server regenerates table snapshots only for snapshots above the
 * marker, so a missing one leaves its files out of the index for good (retention never deletes
 * them).
 *
 * <p>A table with an index needs the table snapshots of the snapshots above what its index
 * absorbed. A table without one (a new table whose first merge is pending) needs them for every
 * snapshot that added a file the backup holds; one whose files are all gone (dropped, or purged by
 * retention with its index) needs none.
 */
public final class DerivedObjects {
  private DerivedObjects() {}

  /**
   * Why the derived objects the backup holds for {@code node} are not consistent with the pin, or
   * empty if they are (or there are none).
   *
   * @param store the backup so far, as node data ({@link io.influxbak.repository.BackupView})
   * @param copied every object the backup holds, by node key
   */
  public static Optional<String> inconsistency(
      ObjectReader store, NodeId node, long pin, List<ManifestEntry> copied) throws IOException {
    requireNonNull(store, "store is null");
    requireNonNull(node, "node is null");
    requireNonNull(copied, "copied is null");
    CoreLayout layout = CoreLayout.of(node);
    long marker = 0;
    Map<List<Long>, Long> indexed = new HashMap<>();
    Set<List<Long>> tableSnapshots = new HashSet<>();
    Map<Long, ManifestEntry> snapshots = new HashMap<>();
    boolean any = false;
    KeyPrefix nodePrefix = node.prefix();
    for (ManifestEntry object : copied) {
      boolean judged = object.kind() == ObjectKind.SNAPSHOT || object.kind().derived();
      if (!judged || !object.key().isUnder(nodePrefix)) {
        continue; // most objects are Parquet and WAL files: their keys need no parsing
      }
      NodeObject classified = layout.classify(object.key());
      ObjectKey stored = object.key();
      try {
        switch (object.kind()) {
          case SNAPSHOT -> snapshots.put(classified.sequence().getAsLong(), object);
          case TABLE_INDEX_CONVERSION_MARKER -> {
            any = true;
            marker = SnapshotReader.readConversionMarker(store, stored, classified, object.size());
          }
          case TABLE_INDEX -> {
            any = true;
            TableIndexFile index =
                SnapshotReader.readIndex(store, stored, classified, object.size());
            indexed.put(
                List.of(index.databaseId(), index.tableId()), index.latestSnapshotSequence());
          }
          case TABLE_SNAPSHOT, SNAPSHOT_CHECKPOINT -> {
            any = true;
            long sequence = classified.sequence().orElseThrow();
            if (Long.compareUnsigned(sequence, pin) > 0) {
              return Optional.of(
                  object.key()
                      + " belongs to snapshot "
                      + Long.toUnsignedString(sequence)
                      + ", newer than the pin");
            }
            if (object.kind() == ObjectKind.TABLE_SNAPSHOT) {
              String[] parts = object.key().relativeTo(node.prefix()).split("/");
              tableSnapshots.add(tableSnapshot(parts[1], parts[2], sequence));
            }
          }
          default -> {}
        }
      } catch (SnapshotFormatException e) {
        return Optional.of(e.getMessage());
      }
    }
    if (!any) {
      return Optional.empty();
    }
    if (Long.compareUnsigned(marker, pin) > 0) {
      return Optional.of(
          "the conversion marker announces snapshot "
              + Long.toUnsignedString(marker)
              + ", newer than the pin");
    }
    for (Map.Entry<List<Long>, Long> index : indexed.entrySet()) {
      if (Long.compareUnsigned(index.getValue(), pin) > 0) {
        return Optional.of(
            "the index of table "
                + index.getKey()
                + " has absorbed snapshot "
                + Long.toUnsignedString(index.getValue())
                + ", newer than the pin");
      }
    }
    Set<ObjectKey> held = null; // built only if a table without an index turns up
    for (Map.Entry<Long, ManifestEntry> entry : snapshots.entrySet()) {
      long sequence = entry.getKey();
      if (Long.compareUnsigned(sequence, marker) > 0) {
        continue; // above the marker: the server splits it again on start
      }
      ManifestEntry snapshot = entry.getValue();
      SnapshotFile parsed;
      try {
        parsed =
            SnapshotReader.read(
                store, snapshot.key(), layout.classify(snapshot.key()), snapshot.size());
      } catch (SnapshotFormatException e) {
        return Optional.of(e.getMessage());
      }
      List<ParquetFileRef> touched = new ArrayList<>(parsed.added());
      touched.addAll(parsed.removed());
      for (ParquetFileRef file : touched) {
        Long absorbed = indexed.get(List.of(file.databaseId(), file.tableId()));
        boolean pending;
        if (absorbed != null) {
          pending = Long.compareUnsigned(sequence, absorbed) > 0;
        } else {
          if (held == null) {
            held = new HashSet<>();
            for (ManifestEntry object : copied) {
              held.add(object.key());
            }
          }
          pending = parsed.added().contains(file) && held.contains(file.path());
        }
        if (pending
            && !tableSnapshots.contains(
                tableSnapshot(file.databaseId(), file.tableId(), sequence))) {
          return Optional.of(
              "the table snapshot of table "
                  + file.databaseId()
                  + "/"
                  + file.tableId()
                  + " for snapshot "
                  + Long.toUnsignedString(sequence)
                  + " is pending (the marker announced it, the index has not absorbed it) but not in the backup");
        }
      }
    }
    return Optional.empty();
  }

  private static List<Long> tableSnapshot(String database, String table, long sequence) {
    try {
      return tableSnapshot(
          Long.parseUnsignedLong(database), Long.parseUnsignedLong(table), sequence);
    } catch (NumberFormatException e) {
      return List.of(-1L, -1L, sequence); // not an id: matches no table a snapshot names
    }
  }

  private static List<Long> tableSnapshot(long database, long table, long sequence) {
    return List.of(database, table, sequence);
  }
}
