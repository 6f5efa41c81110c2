package io.influxbak.snapshot;

import io.influxbak.store.ObjectKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.concurrent.Immutable;

/**
 * The Parquet files a node's server would query: every snapshot folded in ascending sequence (each
 * adds its files, then drops the files it removed), except that a table with a table index starts
 * from the index and takes only the snapshots newer than the index has absorbed.
 */
@Immutable
public final class LiveParquetSet {
  private final Map<ObjectKey, ParquetFileRef> live;
  private final Set<ObjectKey> referenced;

  /**
   * Wraps the maps {@link #fold} built and never changes: views, not copies, which for a node of a
   * million files would double the memory at the peak of planning.
   */
  private LiveParquetSet(Map<ObjectKey, ParquetFileRef> live, Set<ObjectKey> referenced) {
    this.live = Collections.unmodifiableMap(live);
    this.referenced = Collections.unmodifiableSet(referenced);
  }

  /** Folds {@code snapshots} (any order) over {@code indexes}. */
  public static LiveParquetSet fold(List<SnapshotFile> snapshots, List<TableIndexFile> indexes) {
    Map<List<Long>, TableIndexFile> byTable = new HashMap<>();
    Map<ObjectKey, ParquetFileRef> live = new LinkedHashMap<>();
    Set<ObjectKey> referenced = new HashSet<>();
    for (TableIndexFile index : indexes) {
      byTable.put(List.of(index.databaseId(), index.tableId()), index);
      for (ParquetFileRef file : index.files()) {
        live.put(file.path(), file);
        referenced.add(file.path());
      }
    }
    List<SnapshotFile> ascending = new ArrayList<>(snapshots);
    ascending.sort(Comparator.comparing(SnapshotFile::snapshotSequence, Long::compareUnsigned));
    for (SnapshotFile snapshot : ascending) {
      for (ParquetFileRef file : snapshot.added()) {
        referenced.add(file.path());
        if (!coveredByIndex(byTable, file, snapshot)) {
          live.put(file.path(), file);
        }
      }
      for (ParquetFileRef file : snapshot.removed()) {
        if (!coveredByIndex(byTable, file, snapshot)) {
          live.remove(file.path());
        }
      }
    }
    return new LiveParquetSet(live, referenced);
  }

  private static boolean coveredByIndex(
      Map<List<Long>, TableIndexFile> byTable, ParquetFileRef file, SnapshotFile snapshot) {
    TableIndexFile index = byTable.get(List.of(file.databaseId(), file.tableId()));
    return index != null
        && Long.compareUnsigned(snapshot.snapshotSequence(), index.latestSnapshotSequence()) <= 0;
  }

  /** The live files by key. */
  public Map<ObjectKey, ParquetFileRef> files() {
    return live;
  }

  /**
   * Every Parquet key any snapshot or index names, live or not: what is not in here is an orphan.
   */
  public Set<ObjectKey> referenced() {
    return referenced;
  }
}
