package io.influxbak.repository;

import static java.util.Objects.requireNonNull;

import io.influxbak.lease.Leases;
import io.influxbak.store.InvalidKeyException;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectKey;
import javax.annotation.concurrent.Immutable;

/**
 * The name of a backup: one valid key segment, which becomes the backup's root prefix {@code
 * <backup-id>/} in the store that holds it.
 */
@Immutable
public final class BackupId implements Comparable<BackupId> {
  private final String id;

  private BackupId(String id) {
    this.id = id;
  }

  /**
   * The backup id {@code id}.
   *
   * @throws InvalidKeyException if it is empty, contains '/', or is not a valid key segment
   */
  public static BackupId of(String id) {
    requireNonNull(id, "backup id is null");
    if (id.isEmpty()) {
      throw new InvalidKeyException(id, "empty backup id");
    }
    if (id.contains("/")) {
      throw new InvalidKeyException(id, "a backup id is one key segment and cannot contain '/'");
    }
    if (Leases.ROOT.equals(KeyPrefix.of(id))) {
      throw new InvalidKeyException(id, "reserved for the leases of running operations");
    }
    KeyPrefix.of(id); // validates the segment
    return new BackupId(id);
  }

  /** The backup's root prefix, {@code <backup-id>/}. */
  public KeyPrefix root() {
    return KeyPrefix.of(id);
  }

  /** Where the backup's wrapped data key lives ({@code key.json}), if it is encrypted. */
  public ObjectKey dataKeyRecord() {
    return root().resolve(SealedRecords.KEY_RECORD);
  }

  @Override
  public int compareTo(BackupId other) {
    return id.compareTo(other.id);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof BackupId && ((BackupId) other).id.equals(id);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  /** The id as written in keys and manifests. */
  @Override
  public String toString() {
    return id;
  }
}
