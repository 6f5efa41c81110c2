package io.influxbak.encryption;

import static java.util.Objects.requireNonNull;

import io.influxbak.store.TransientStoreException;
import java.io.IOException;

/**
 * How a key service's failed wrap or unwrap is told to the caller, the same for every service: a
 * refusal (an HTTP 4xx other than 429: the wrong key, another backup's context, no permission) is
 * an {@link EncryptionKeyException} naming the backup and the key; anything else (5xx, throttling,
 * the network, no status at all) is a {@link TransientStoreException}, which the caller's retry
 * policy retries.
 */
public final class KeyServiceFailure {
  private KeyServiceFailure() {}

  /**
   * @param service the service's name for messages ("AWS KMS")
   * @param keyId the key's id ({@link KeyEncryptionKey#id()})
   * @param backupId the backup whose data key was being wrapped or unwrapped
   * @param operation "wrap" or "unwrap"
   * @param status the HTTP status the service answered, 0 when there was no answer
   * @param said what the service said, already scrubbed of secrets
   * @param cause the SDK's exception, kept for a transient failure
   */
  public static IOException of(
      String service,
      String keyId,
      String backupId,
      String operation,
      int status,
      String said,
      Throwable cause) {
    requireNonNull(service, "service is null");
    requireNonNull(keyId, "keyId is null");
    requireNonNull(backupId, "backupId is null");
    requireNonNull(operation, "operation is null");
    requireNonNull(said, "said is null");
    requireNonNull(cause, "cause is null");
    if (status >= 400 && status < 500 && status != 429) {
      return new EncryptionKeyException(
          backupId,
          service + " refused to " + operation + " its data key with " + keyId + ": " + said);
    }
    return new TransientStoreException(
        service + " did not " + operation + " the data key of backup " + backupId + ": " + said,
        cause);
  }
}
