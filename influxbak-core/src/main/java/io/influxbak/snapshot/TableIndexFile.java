package io.influxbak.snapshot;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import io.influxbak.store.ObjectKey;
import java.util.List;

/**
 * A parsed table index ({@code db-indices/<db>/<table>/index.info.json}, 3.3+): the primary truth
 * of which Parquet files a table holds, up to {@code latestSnapshotSequence}.
 *
 * @param key the index file's key
 * @param databaseId the database
 * @param tableId the table
 * @param latestSnapshotSequence the newest snapshot it has absorbed
 * @param files the table's Parquet files
 */
public record TableIndexFile(
    ObjectKey key,
    long databaseId,
    long tableId,
    long latestSnapshotSequence,
    List<ParquetFileRef> files) {
  /** Checks the parts and copies the list. */
  public TableIndexFile {
    requireNonNull(key, "key is null");
    files = ImmutableList.copyOf(files);
  }
}
