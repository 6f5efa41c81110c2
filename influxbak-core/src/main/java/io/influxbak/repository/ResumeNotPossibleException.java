package io.influxbak.repository;

import static java.util.Objects.requireNonNull;

import io.influxbak.store.StoreId;
import java.io.IOException;

/** A backup cannot be resumed: it does not exist, is complete, or was retired. */
public final class ResumeNotPossibleException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * @param store the destination
   * @param backupId the backup asked for
   * @param reason why it cannot be resumed
   */
  public ResumeNotPossibleException(StoreId store, String backupId, String reason) {
    super(
        "Cannot resume backup "
            + requireNonNull(backupId, "backupId is null")
            + " in "
            + requireNonNull(store, "store is null")
            + ": "
            + requireNonNull(reason, "reason is null"));
  }
}
