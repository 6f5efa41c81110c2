package io.influxbak.encryption;

import java.io.IOException;

/**
 * A key that wraps backups' data keys: a local key ({@link LocalKey}) or a key held by a cloud key
 * service (AWS KMS in {@code influxbak-s3}). The wrapped form is stored beside a backup's manifest;
 * the material of this key never is.
 *
 * <p>{@code context} is the backup's id: an implementation binds the wrapped key to it (as the
 * authenticated data of AES-GCM, or a KMS encryption context), so that a wrapped key copied from
 * another backup does not unwrap.
 */
public interface KeyEncryptionKey {
  /**
   * What this key is, for records and messages: a fingerprint of a local key ({@code local:<16
   * hex>}) or the key's name in its service. Never secret.
   */
  String id();

  /** {@code dataKey} wrapped for the backup {@code context}. */
  byte[] wrap(byte[] dataKey, String context) throws IOException;

  /**
   * The data key {@code wrapped} holds for the backup {@code context}.
   *
   * @throws EncryptionKeyException if this key did not wrap it for that backup
   */
  byte[] unwrap(byte[] wrapped, String context) throws IOException;
}
