package io.influxbak.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;

/**
 * The store refused to delete or replace an object because a retention ({@link ObjectLock}) still
 * holds it; the object is untouched.
 */
public final class ObjectLockedException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String key;

  /**
   * @param store the store asked
   * @param key the locked object
   * @param reason what the store said, or the lock that holds it
   */
  public ObjectLockedException(StoreId store, ObjectKey key, String reason) {
    super(
        "Cannot delete or replace "
            + requireNonNull(key, "key is null")
            + " in "
            + requireNonNull(store, "store is null")
            + ": it is locked ("
            + requireNonNull(reason, "reason is null")
            + ")");
    this.key = key.toString();
  }

  /** The locked object's key. */
  public ObjectKey key() {
    return ObjectKey.of(key);
  }
}
