package io.influxbak.plan;

import io.influxbak.store.InvalidKeyException;
import io.influxbak.store.KeyPrefix;

/** Backup ids: one valid key segment, which becomes the backup's root prefix. */
final class BackupIds {
  private BackupIds() {}

  /**
   * The root prefix of the backup {@code backupId}.
   *
   * @throws InvalidKeyException if the id is empty, contains '/', or is not a valid key segment
   */
  static KeyPrefix root(String backupId) {
    if (backupId.isEmpty()) {
      throw new InvalidKeyException(backupId, "empty backup id");
    }
    if (backupId.contains("/")) {
      throw new InvalidKeyException(
          backupId, "a backup id is one key segment and cannot contain '/'");
    }
    return KeyPrefix.of(backupId);
  }
}
