package io.influxbak.encryption;

import static java.util.Objects.requireNonNull;

import java.io.IOException;

/**
 * A backup's data key cannot be had: the backup is encrypted and no key was given, the key given is
 * not the one that wrapped it (or the wrapped key was replaced by another backup's), or the key
 * service refused. Names the backup and the keys by their ids, never their material.
 */
public final class EncryptionKeyException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String backupId;
  private final String reason;

  /**
   * @param backupId the backup whose data key is wanted
   * @param reason why it cannot be had
   */
  public EncryptionKeyException(String backupId, String reason) {
    this(backupId, reason, null);
  }

  /**
   * @param backupId the backup whose data key is wanted
   * @param reason why it cannot be had
   * @param cause what the key service said, when it said something
   */
  public EncryptionKeyException(
      String backupId, String reason, @javax.annotation.Nullable Throwable cause) {
    super(
        "backup "
            + requireNonNull(backupId, "backupId is null")
            + ": "
            + requireNonNull(reason, "reason is null"),
        cause);
    this.backupId = backupId;
    this.reason = reason;
  }

  /** Why the data key cannot be had, without the backup's name. */
  public String reason() {
    return reason;
  }

  /** The backup whose data key is wanted. */
  public String backupId() {
    return backupId;
  }
}
