package io.influxbak.backup;

import static java.util.Objects.requireNonNull;

import io.influxbak.store.KeyPrefix;
import io.influxbak.store.StoreId;
import java.io.IOException;

/**
 * The source store holds nothing under a node's prefix: wrong node id, wrong store, or an empty
 * node.
 */
public final class NodeNotFoundException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * @param store the store searched
   * @param prefix the node prefix that holds no object
   */
  public NodeNotFoundException(StoreId store, KeyPrefix prefix) {
    super(
        "Cannot back up "
            + requireNonNull(prefix, "prefix is null")
            + ": no object under that prefix in "
            + requireNonNull(store, "store is null")
            + " (check the node id and the store location)");
  }
}
