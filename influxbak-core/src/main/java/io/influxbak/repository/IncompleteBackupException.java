package io.influxbak.repository;

import static java.util.Objects.requireNonNull;

import io.influxbak.restore.RestoreOptions;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.StoreId;
import java.io.IOException;

/**
 * A backup has no manifest: it never completed (or its manifest was removed). It is not restored
 * unless the caller explicitly allows it ({@link RestoreOptions.Builder#allowIncomplete()}).
 */
public final class IncompleteBackupException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * @param store the store holding the backup
   * @param backupRoot the backup's prefix
   */
  public IncompleteBackupException(StoreId store, KeyPrefix backupRoot) {
    this("restore", store, backupRoot);
  }

  /**
   * @param operation what could not be done, e.g. "restore", "check", "verify"
   * @param store the store searched
   * @param backupRoot the backup's prefix
   */
  public IncompleteBackupException(String operation, StoreId store, KeyPrefix backupRoot) {
    super(
        "Cannot "
            + requireNonNull(operation, "operation is null")
            + " "
            + requireNonNull(backupRoot, "backupRoot is null")
            + " from "
            + requireNonNull(store, "store is null")
            + ": it has no manifest, so it is incomplete; restore it only with an explicit override (RestoreOptions allowIncomplete(), --allow-incomplete)");
  }
}
