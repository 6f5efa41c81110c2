package io.influxbak.layout.testing;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import io.influxbak.layout.ClusterId;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.ObjectKind;
import io.influxbak.layout.testing.GeneratedNode.GeneratedObject;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;

/**
 * A generated Enterprise cluster: the cluster id, its data nodes, its compactor (if any), and every
 * object with the kind the generator meant it to be.
 *
 * @param cluster the cluster id
 * @param nodes the data nodes
 * @param compactor the compactor node, if the cluster has one
 * @param objects the objects by key
 */
public record GeneratedCluster(
    ClusterId cluster,
    List<NodeId> nodes,
    Optional<NodeId> compactor,
    SortedMap<ObjectKey, GeneratedObject> objects) {
  /** Copies the collections. */
  public GeneratedCluster {
    nodes = ImmutableList.copyOf(nodes);
    objects = ImmutableSortedMap.copyOf(objects);
  }

  /** Writes every object into {@code store}. */
  public void writeTo(ObjectStore store) throws IOException {
    GeneratedNode.writeAll(objects, store);
  }

  /** The keys of objects of the given kinds. */
  public Set<ObjectKey> keysOf(Set<ObjectKind> kinds) {
    return GeneratedNode.keysOf(objects, kinds);
  }
}
