package io.influxbak.repository;

import static java.util.Objects.requireNonNull;

import io.influxbak.store.KeyPrefix;
import io.influxbak.store.StoreId;
import java.io.IOException;

/**
 * A backup was retired by a prune ({@link BackupRepository#RETIRED_MARKER}) and is never restored.
 */
public final class BackupRetiredException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * @param store the store holding it
   * @param backupRoot the backup's prefix
   */
  public BackupRetiredException(StoreId store, KeyPrefix backupRoot) {
    this("restore", store, backupRoot);
  }

  /**
   * @param operation what could not be done, e.g. "restore", "check", "verify"
   * @param store the store searched
   * @param backupRoot the backup's prefix
   */
  public BackupRetiredException(String operation, StoreId store, KeyPrefix backupRoot) {
    super(
        "Cannot "
            + requireNonNull(operation, "operation is null")
            + " "
            + requireNonNull(backupRoot, "backupRoot is null")
            + " in "
            + requireNonNull(store, "store is null")
            + ": a prune retired it; what its root still holds belongs to newer backups");
  }
}
