package io.influxbak.layout;

import static java.util.Objects.requireNonNull;

import io.influxbak.store.ObjectKey;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One classified object under a node prefix.
 *
 * @param node the node whose prefix holds the key
 * @param key the full key, node prefix included
 * @param kind what the object is
 * @param sequence the sequence number its name encodes (WAL, snapshot, catalog log, table snapshot,
 *     snapshot checkpoint), already un-inverted for inverted names; unsigned 64-bit in InfluxDB, so
 *     compare with {@link Long#compareUnsigned}
 * @param catalogGeneration the catalog generation of a catalog object
 */
public record NodeObject(
    NodeId node,
    ObjectKey key,
    ObjectKind kind,
    OptionalLong sequence,
    Optional<CatalogGeneration> catalogGeneration) {

  /** Checks that no component is null. */
  public NodeObject {
    requireNonNull(node, "node is null");
    requireNonNull(key, "key is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(sequence, "sequence is null");
    requireNonNull(catalogGeneration, "catalogGeneration is null");
  }

  /** The key relative to the node prefix. */
  public String relativeKey() {
    return key.relativeTo(node.prefix());
  }
}
