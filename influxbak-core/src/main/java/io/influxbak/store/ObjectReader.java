package io.influxbak.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.annotation.concurrent.ThreadSafe;

/**
 * The read side of an {@link ObjectStore}: what a check, a verify or a view of a backup needs, and
 * all that a read-only view such as a backup seen as node data offers. Thread-safe and blocking,
 * with the error rules of {@link ObjectStore}.
 */
@ThreadSafe
public interface ObjectReader {
  /** Where this store's objects live, without credentials. */
  StoreId id();

  /** Immutable facts the planner reads. */
  StoreCapabilities capabilities();

  /**
   * Lazily lists every object whose key lies under {@code prefix}, in no particular order, each
   * with the checksums the listing returns ({@link StoreCapabilities#listingChecksums()}). Objects
   * being written are not listed until complete. A prefix with no objects gives an empty iterator,
   * not an error.
   */
  ObjectIterator list(KeyPrefix prefix) throws IOException;

  /**
   * The prefixes one segment below {@code prefix} that have objects under them, like the folders of
   * a directory listing ({@code a/} and {@code b/} for {@code a/x}, {@code a/y/z}, {@code b/c}; not
   * the objects directly under {@code prefix}), in no particular order. What finds the backups in a
   * store without listing every object of every backup. This default lists everything under {@code
   * prefix}; adapters override it with the store's delimiter listing.
   */
  default Set<KeyPrefix> childPrefixes(KeyPrefix prefix) throws IOException {
    Set<KeyPrefix> children = new HashSet<>();
    try (ObjectIterator objects = list(prefix)) {
      while (objects.hasNext()) {
        String rest = objects.next().key().relativeTo(prefix);
        int slash = rest.indexOf('/');
        if (slash > 0) {
          children.add(prefix.resolvePrefix(rest.substring(0, slash)));
        }
      }
    }
    return children;
  }

  /**
   * What interrupted writes of runs no longer going on left under {@code prefix}: never listed as
   * objects, taking space, and removable with {@link ObjectStore#delete} (a file store's temporary
   * files of a process that was killed). This default finds none: in the cloud stores an
   * interrupted upload publishes nothing to list.
   */
  default List<ObjectKey> incompleteWrites(KeyPrefix prefix) throws IOException {
    return List.of();
  }

  /** Size, version tag and native checksums of {@code key}; empty if it does not exist. */
  Optional<ObjectInfo> stat(ObjectKey key) throws IOException;

  /**
   * A new stream over the whole object. The caller closes it.
   *
   * @throws ObjectNotFoundException if the object does not exist
   */
  InputStream open(ObjectKey key) throws IOException;
}
