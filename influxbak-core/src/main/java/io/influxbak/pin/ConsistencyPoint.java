package io.influxbak.pin;

import static java.util.Objects.requireNonNull;

import io.influxbak.layout.NodeId;

/**
 * The point a pinned backup of one node is consistent to: the newest snapshot read before any
 * Parquet file was copied, and what lies beyond it.
 *
 * @param node the node
 * @param snapshotSequence the pinned snapshot's sequence
 * @param walSequence the last WAL file that snapshot persisted; newer writes are in the WAL files
 *     after it
 * @param newestParquetTime the latest row time (ns since the epoch) in the live Parquet files at
 *     the pin
 * @param walFilesBeyondPin WAL files after the pin's WAL sequence that the backup holds (the newest
 *     writes)
 */
public record ConsistencyPoint(
    NodeId node,
    long snapshotSequence,
    long walSequence,
    long newestParquetTime,
    long walFilesBeyondPin) {
  /** Checks that no component is null. */
  public ConsistencyPoint {
    requireNonNull(node, "node is null");
  }
}
