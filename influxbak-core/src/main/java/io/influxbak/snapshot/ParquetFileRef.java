package io.influxbak.snapshot;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import io.influxbak.store.ObjectKey;

/**
 * A Parquet file a snapshot or table index names.
 *
 * @param id the file id
 * @param path its full object key, node prefix included
 * @param size its size in bytes, as recorded
 * @param databaseId the database it belongs to
 * @param tableId the table it belongs to
 * @param minTime the earliest row time (ns since the epoch)
 * @param maxTime the latest row time (ns since the epoch)
 */
public record ParquetFileRef(
    long id, ObjectKey path, long size, long databaseId, long tableId, long minTime, long maxTime) {
  /** Checks the parts. */
  public ParquetFileRef {
    requireNonNull(path, "path is null");
    checkArgument(size >= 0, "negative size for %s", path);
  }
}
