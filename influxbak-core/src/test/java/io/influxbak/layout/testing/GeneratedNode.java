package io.influxbak.layout.testing;

import com.google.common.collect.ImmutableSortedMap;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.ObjectKind;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.WriteMode;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.stream.Collectors;

/**
 * A generated node tree: every object's key, the kind the generator meant it to be, and its bytes.
 *
 * @param node the node id
 * @param objects the objects by key
 */
public record GeneratedNode(NodeId node, SortedMap<ObjectKey, GeneratedObject> objects) {
  /** Copies the map. */
  public GeneratedNode {
    objects = ImmutableSortedMap.copyOf(objects);
  }

  /** One generated object. */
  public record GeneratedObject(ObjectKind kind, byte[] bytes) {}

  /** Writes every object into {@code store}. */
  public void writeTo(ObjectStore store) throws IOException {
    writeAll(objects, store);
  }

  /** The keys of objects of the given kinds. */
  public Set<ObjectKey> keysOf(Set<ObjectKind> kinds) {
    return keysOf(objects, kinds);
  }

  /** Writes generated objects into {@code store}. */
  static void writeAll(Map<ObjectKey, GeneratedObject> objects, ObjectStore store)
      throws IOException {
    for (Map.Entry<ObjectKey, GeneratedObject> entry : objects.entrySet()) {
      store.write(
          entry.getKey(), ObjectContent.ofBytes(entry.getValue().bytes()), WriteMode.CREATE_NEW);
    }
  }

  /** The keys of generated objects of the given kinds. */
  static Set<ObjectKey> keysOf(Map<ObjectKey, GeneratedObject> objects, Set<ObjectKind> kinds) {
    return objects.entrySet().stream()
        .filter(e -> kinds.contains(e.getValue().kind()))
        .map(Map.Entry::getKey)
        .collect(Collectors.toCollection(java.util.TreeSet::new));
  }

  /** Total bytes. */
  public long totalBytes() {
    return objects.values().stream().mapToLong(o -> o.bytes().length).sum();
  }
}
