package io.influxbak.encryption;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.annotation.concurrent.ThreadSafe;
import org.apache.commons.io.function.IOSupplier;

/**
 * The keys an operation opens encrypted backups with: the key-encryption key the caller gave (if
 * any) and the data keys it has unwrapped so far, so that each backup's {@code key.json} is read
 * and unwrapped (one KMS call, for a KMS key) once per operation. Every read of an encrypted
 * backup, and the writes of an encrypted backup, go through one of these.
 */
@ThreadSafe
public final class BackupKeys {
  /** No key: encrypted backups cannot be read. */
  public static final BackupKeys NONE = new BackupKeys(Optional.empty());

  private final Optional<KeyEncryptionKey> keyEncryptionKey;
  private final ConcurrentMap<String, DataKey> unwrapped = new ConcurrentHashMap<>();

  private BackupKeys(Optional<KeyEncryptionKey> keyEncryptionKey) {
    this.keyEncryptionKey = keyEncryptionKey;
  }

  /** Backups whose data keys {@code kek} wraps. */
  public static BackupKeys of(KeyEncryptionKey kek) {
    return new BackupKeys(Optional.of(requireNonNull(kek, "kek is null")));
  }

  /** The key-encryption key, when one was given. */
  public Optional<KeyEncryptionKey> keyEncryptionKey() {
    return keyEncryptionKey;
  }

  /**
   * The data key of the backup {@code backupId} in the store {@code scope}, unwrapped from the
   * record {@code record} reads, or from memory if this was done before.
   *
   * @throws EncryptionKeyException if it does not unwrap with this key (or there is none)
   */
  public DataKey dataKey(String scope, String backupId, IOSupplier<byte[]> record)
      throws IOException {
    String id = scope + "\0" + backupId;
    DataKey known = unwrapped.get(id);
    if (known != null) {
      return known;
    }
    DataKey key = DataKey.fromRecord(keyEncryptionKey, record.get(), backupId);
    DataKey raced = unwrapped.putIfAbsent(id, key);
    return raced != null ? raced : key;
  }

  /** Remembers the data key a backup being written under {@code backupId} created. */
  public void remember(String scope, String backupId, DataKey key) {
    unwrapped.putIfAbsent(scope + "\0" + backupId, requireNonNull(key, "key is null"));
  }

  /** Names the key-encryption key by its id only. */
  @Override
  public String toString() {
    return "BackupKeys[" + keyEncryptionKey.map(KeyEncryptionKey::id).orElse("none") + "]";
  }
}
