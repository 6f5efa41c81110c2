package io.influxbak.snapshot;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import io.influxbak.store.ObjectKey;
import java.util.List;

/**
 * One parsed snapshot file: the Parquet files the snapshot added and removed, and the sequences it
 * records. Sequence numbers are unsigned 64-bit values: compare with {@link Long#compareUnsigned}.
 *
 * @param key the snapshot file's key
 * @param nodeId the node that wrote it ({@code node_id}; older builds {@code writer_id} or {@code
 *     host_id})
 * @param snapshotSequence its sequence number (its file name holds {@code 2^64-1} minus it)
 * @param walFileSequence the last WAL file whose data it persisted; replay starts after it
 * @param catalogSequence the catalog sequence when it was taken
 * @param minTime earliest row time of the files it added (ns)
 * @param maxTime latest row time of the files it added (ns)
 * @param added the Parquet files it added
 * @param removed the Parquet files it removed
 */
public record SnapshotFile(
    ObjectKey key,
    String nodeId,
    long snapshotSequence,
    long walFileSequence,
    long catalogSequence,
    long minTime,
    long maxTime,
    List<ParquetFileRef> added,
    List<ParquetFileRef> removed) {
  /** Checks the parts and copies the lists. */
  public SnapshotFile {
    requireNonNull(key, "key is null");
    requireNonNull(nodeId, "nodeId is null");
    added = ImmutableList.copyOf(added);
    removed = ImmutableList.copyOf(removed);
  }
}
