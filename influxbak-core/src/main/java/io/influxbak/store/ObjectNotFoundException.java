package io.influxbak.store;

import static java.util.Objects.requireNonNull;

import java.nio.file.NoSuchFileException;

/** An object that an operation needs does not exist. The message names the store and the key. */
public final class ObjectNotFoundException extends NoSuchFileException {
  private static final long serialVersionUID = 1L;

  /**
   * @param store the store that was asked
   * @param key the missing object
   */
  public ObjectNotFoundException(StoreId store, ObjectKey key) {
    super(
        key.toString(), null, "object does not exist in " + requireNonNull(store, "store is null"));
  }
}
