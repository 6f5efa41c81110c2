package io.influxbak.snapshot;

/**
 * Receives a snapshot file's Parquet entries one at a time as they are parsed ({@link
 * SnapshotReader#read(io.influxbak.store.ObjectReader, io.influxbak.store.ObjectKey,
 * io.influxbak.layout.NodeObject, long, SnapshotEntries)}), so that a caller folding a million of
 * them need not hold them all. Entries arrive in the file's order: the additions ({@code
 * databases}) and the removals ({@code removed_files}) in whichever order the file writes those
 * fields, so a fold applies a file's removals only after the whole file is read.
 */
public interface SnapshotEntries {
  /** A Parquet file the snapshot added. */
  void added(ParquetFileRef file);

  /** A Parquet file the snapshot removed. */
  void removed(ParquetFileRef file);
}
