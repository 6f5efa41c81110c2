package io.influxbak.layout;

import static java.util.Objects.requireNonNull;

import io.influxbak.store.InvalidKeyException;
import io.influxbak.store.KeyPrefix;
import javax.annotation.concurrent.Immutable;

/**
 * An InfluxDB 3 Enterprise cluster id (the server's {@code --cluster-id}), the first segment of the
 * keys of the cluster-wide files (catalog, licences, {@code enterprise}). One valid key segment.
 */
@Immutable
public final class ClusterId {
  private final String value;

  private ClusterId(String value) {
    this.value = value;
  }

  /**
   * Parses a cluster id.
   *
   * @throws InvalidKeyException if it is not a single valid key segment
   */
  public static ClusterId of(String clusterId) {
    requireNonNull(clusterId, "clusterId is null");
    NodeId.of(clusterId); // the same rules as a node id: one valid key segment
    return new ClusterId(clusterId);
  }

  /** The cluster prefix, {@code <cluster-id>/}. */
  public KeyPrefix prefix() {
    return KeyPrefix.of(value);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ClusterId && ((ClusterId) other).value.equals(value);
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
