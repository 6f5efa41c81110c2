package io.influxbak.retention;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import io.influxbak.encryption.BackupKeys;
import io.influxbak.encryption.DataKey;
import io.influxbak.encryption.EncryptionKeyException;
import io.influxbak.encryption.KeyEncryptionKey;
import io.influxbak.lease.HeldLease;
import io.influxbak.lease.LeaseSettings;
import io.influxbak.lease.Leases;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupRepository;
import io.influxbak.repository.BackupSummary;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectLock;
import io.influxbak.store.ObjectLockedException;
import io.influxbak.store.ObjectStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Moves a store's encrypted backups from one key-encryption key to another: each backup's data key
 * is unwrapped with the old key and its {@code key.json} replaced by the same data key wrapped with
 * the new one, so no object is touched and a chain stays one chain (a later backup with the new key
 * reuses the older copies). Holds the store's prune lease, so no backup or prune runs meanwhile.
 * Each record is replaced in one write; a rotation that stops midway is finished by running it
 * again (a record already under the new key is left as it is). A locked backup's record is replaced
 * where the store keeps the locked version (a versioned S3 bucket), and the new record locked as
 * far; a store that refuses to replace it leaves it under the old key ({@link Result#locked()})
 * until its lock has passed.
 */
public final class KeyRotation {
  private final KeyEncryptionKey from;
  private final KeyEncryptionKey to;
  private final LeaseSettings lease;

  /**
   * What a rotation did.
   *
   * @param rotated backups whose data key is now wrapped by the new key
   * @param alreadyRotated backups whose data key already was
   * @param unencrypted backups with no data key (plain backups), left alone
   * @param locked backups whose {@code key.json} a lock holds and the store would not replace:
   *     still under the old key, which they need until a rotation after their lock has passed
   */
  public record Result(
      List<String> rotated,
      List<String> alreadyRotated,
      List<String> unencrypted,
      List<String> locked) {
    /** Copies the lists. */
    public Result {
      rotated = ImmutableList.copyOf(rotated);
      alreadyRotated = ImmutableList.copyOf(alreadyRotated);
      unencrypted = ImmutableList.copyOf(unencrypted);
      locked = ImmutableList.copyOf(locked);
    }

    /** Whether every encrypted backup is now under the new key (the old one is needed by none). */
    public boolean complete() {
      return locked.isEmpty();
    }
  }

  private KeyRotation(KeyEncryptionKey from, KeyEncryptionKey to, LeaseSettings lease) {
    this.from = from;
    this.to = to;
    this.lease = lease;
  }

  /** A rotation from the key {@code from} to the key {@code to}. */
  public static KeyRotation of(KeyEncryptionKey from, KeyEncryptionKey to) {
    return new KeyRotation(
        requireNonNull(from, "from is null"),
        requireNonNull(to, "to is null"),
        LeaseSettings.defaults());
  }

  /** The same rotation, its prune lease timed by {@code lease}. */
  public KeyRotation lease(LeaseSettings lease) {
    return new KeyRotation(from, to, requireNonNull(lease, "lease is null"));
  }

  /**
   * Rotates every encrypted backup in {@code store}, holding its prune lease.
   *
   * @throws EncryptionKeyException naming the backup if a data key unwraps with neither key;
   *     backups before it are rotated, none after it
   * @throws io.influxbak.lease.LeaseHeldException if a backup or a prune holds a lease
   */
  public Result execute(ObjectStore store) throws IOException {
    requireNonNull(store, "store is null");
    try (HeldLease held = Leases.in(store, lease).prune()) {
      try {
        return run(held.guard(store));
      } catch (IOException e) {
        throw held.explain(e);
      }
    }
  }

  private Result run(ObjectStore store) throws IOException {
    BackupRepository withOld = BackupRepository.of(store, BackupKeys.of(from));
    BackupRepository withNew = BackupRepository.of(store, BackupKeys.of(to));
    List<String> rotated = new ArrayList<>();
    List<String> already = new ArrayList<>();
    List<String> plain = new ArrayList<>();
    List<String> locked = new ArrayList<>();
    for (BackupSummary backup : withOld.list()) {
      BackupId id = BackupId.of(backup.backupId());
      if (!withOld.hasDataKey(id)) {
        plain.add(backup.backupId());
        continue;
      }
      try {
        withNew.dataKey(id);
        already.add(backup.backupId());
        continue;
      } catch (EncryptionKeyException notYet) {
        // wrapped by the old key (or by neither: the old key says so below)
      }
      Optional<DataKey> key = withOld.dataKey(id);
      if (key.isPresent()) {
        ObjectKey record = id.dataKeyRecord();
        Optional<ObjectLock> held =
            store.capabilities().objectLocks()
                ? store.lockOf(record).filter(l -> l.holdsAt(lease.clock().instant()))
                : Optional.empty();
        try {
          withOld.rewrapDataKey(id, key.get(), to);
        } catch (ObjectLockedException refused) {
          locked.add(backup.backupId());
          continue;
        }
        if (held.isPresent()) {
          store.lock(record, held.get()); // the store kept the locked version; lock the new one
        }
        rotated.add(backup.backupId());
      }
    }
    return new Result(rotated, already, plain, locked);
  }
}
