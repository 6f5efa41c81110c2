package io.influxbak.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;

/**
 * A conditional change ({@link ObjectStore#replaceIfVersion}, {@link ObjectStore#deleteIfVersion})
 * found its object no longer at the version the caller read: another writer replaced or deleted it
 * since. Nothing was changed.
 */
public final class ObjectChangedException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * @param store the store written to
   * @param key the object that changed
   * @param expectedVersion the version the caller read
   */
  public ObjectChangedException(StoreId store, ObjectKey key, String expectedVersion) {
    super(
        requireNonNull(key, "key is null")
            + " in "
            + requireNonNull(store, "store is null")
            + " is no longer at version "
            + requireNonNull(expectedVersion, "expectedVersion is null")
            + " (replaced or deleted by another writer); nothing changed");
  }
}
