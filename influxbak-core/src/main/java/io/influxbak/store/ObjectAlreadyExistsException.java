package io.influxbak.store;

import static java.util.Objects.requireNonNull;

import java.nio.file.FileAlreadyExistsException;

/**
 * A {@link WriteMode#CREATE_NEW} write or copy found its target already present; the existing
 * object was left untouched.
 */
public final class ObjectAlreadyExistsException extends FileAlreadyExistsException {
  private static final long serialVersionUID = 1L;

  /**
   * @param store the store written to
   * @param key the key that already exists
   */
  public ObjectAlreadyExistsException(StoreId store, ObjectKey key) {
    super(
        key.toString(), null, "object already exists in " + requireNonNull(store, "store is null"));
  }
}
