package io.influxbak.pin;

import static java.util.Objects.requireNonNull;

import io.influxbak.store.KeyPrefix;
import java.io.IOException;

/**
 * The server kept deleting objects a pinned backup needed (retention, compaction, snapshot cleanup)
 * faster than the backup could re-pin to a newer snapshot. No manifest was written: the backup is
 * incomplete.
 */
public final class PinLostException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * @param node the node prefix
   * @param rounds how many times the backup re-pinned
   */
  public PinLostException(KeyPrefix node, int rounds) {
    super(
        "Cannot back up "
            + requireNonNull(node, "node is null")
            + " consistently: objects of the pinned snapshot kept vanishing after "
            + rounds
            + " re-pins; retry when the server is less busy, or pause retention");
  }
}
