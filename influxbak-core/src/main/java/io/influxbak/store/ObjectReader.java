package io.influxbak.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
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
   * store without listing every object of every backup: {@link #listLevel}'s prefixes.
   */
  default Set<KeyPrefix> childPrefixes(KeyPrefix prefix) throws IOException {
    return listLevel(prefix).prefixes();
  }

  /**
   * One level under {@code prefix}: the objects directly under it and the prefixes one segment
   * deeper ({@code x} and {@code y/}, {@code z/} for {@code x}, {@code y/a}, {@code z/b/c}), what
   * lets a planner list the many small prefixes of a large node concurrently instead of paging
   * through one listing. This default derives it from {@link #list} (every key under {@code
   * prefix}); adapters override it with the store's delimiter listing, one request a page.
   */
  default KeyLevel listLevel(KeyPrefix prefix) throws IOException {
    List<ObjectInfo> objects = new ArrayList<>();
    Set<KeyPrefix> children = new HashSet<>();
    try (ObjectIterator listing = list(prefix)) {
      while (listing.hasNext()) {
        ObjectInfo object = listing.next();
        String rest = object.key().relativeTo(prefix);
        int slash = rest.indexOf('/');
        if (slash > 0) {
          children.add(prefix.resolvePrefix(rest.substring(0, slash)));
        } else {
          objects.add(object);
        }
      }
    }
    return new KeyLevel(objects, children);
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

  /**
   * The retention the store holds {@code key} under, whether it still holds or has passed; empty if
   * the object has none, or the store has no locks ({@link StoreCapabilities#objectLocks()}: this
   * default).
   *
   * @throws ObjectNotFoundException if the object does not exist
   */
  default Optional<ObjectLock> lockOf(ObjectKey key) throws IOException {
    if (stat(key).isEmpty()) {
      throw new ObjectNotFoundException(id(), key);
    }
    return Optional.empty();
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
