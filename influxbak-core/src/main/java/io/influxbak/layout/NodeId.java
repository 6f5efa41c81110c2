package io.influxbak.layout;

import static java.util.Objects.requireNonNull;

import io.influxbak.store.InvalidKeyException;
import io.influxbak.store.KeyPrefix;
import javax.annotation.concurrent.Immutable;

/**
 * An InfluxDB 3 node id (the server's {@code --node-id}), which is also the first segment of every
 * key the node writes. Must be one valid key segment: no '/', no '.' or '..', no control
 * characters.
 */
@Immutable
public final class NodeId implements Comparable<NodeId> {
  private final String value;
  private final KeyPrefix prefix; // held: asked for once per object a node holds

  private NodeId(String value, KeyPrefix prefix) {
    this.value = value;
    this.prefix = prefix;
  }

  /**
   * Parses a node id.
   *
   * @throws InvalidKeyException if it is not a single valid key segment
   */
  public static NodeId of(String nodeId) {
    requireNonNull(nodeId, "nodeId is null");
    if (nodeId.isEmpty()) {
      throw new InvalidKeyException(nodeId, "empty node id");
    }
    if (nodeId.contains("/")) {
      throw new InvalidKeyException(nodeId, "a node id is one key segment and cannot contain '/'");
    }
    return new NodeId(nodeId, KeyPrefix.of(nodeId)); // KeyPrefix.of applies the key rules
  }

  /** The node's key prefix, {@code <node-id>/}. */
  public KeyPrefix prefix() {
    return prefix;
  }

  @Override
  public int compareTo(NodeId other) {
    return value.compareTo(other.value);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof NodeId && ((NodeId) other).value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return value;
  }
}
