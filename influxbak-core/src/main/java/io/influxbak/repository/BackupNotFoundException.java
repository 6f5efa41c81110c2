package io.influxbak.repository;

import static java.util.Objects.requireNonNull;

import io.influxbak.store.KeyPrefix;
import io.influxbak.store.StoreId;
import java.io.IOException;

/** A store holds no backup under the given id. */
public final class BackupNotFoundException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * @param store the store searched
   * @param backupRoot the backup's prefix
   */
  public BackupNotFoundException(StoreId store, KeyPrefix backupRoot) {
    this("restore", store, backupRoot);
  }

  /**
   * @param operation what could not be done, e.g. "restore", "check", "verify"
   * @param store the store searched
   * @param backupRoot the backup's prefix
   */
  public BackupNotFoundException(String operation, StoreId store, KeyPrefix backupRoot) {
    super(
        "Cannot "
            + requireNonNull(operation, "operation is null")
            + " "
            + requireNonNull(backupRoot, "backupRoot is null")
            + ": not found (nothing under that prefix) in "
            + requireNonNull(store, "store is null"));
  }
}
