package io.influxbak.encryption.aws;

import static java.util.Objects.requireNonNull;

import io.influxbak.encryption.KeyEncryptionKey;
import io.influxbak.encryption.KeyServiceFailure;
import io.influxbak.store.SecretScrubber;
import java.io.Closeable;
import java.io.IOException;
import java.util.Map;
import javax.annotation.concurrent.ThreadSafe;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DecryptRequest;
import software.amazon.awssdk.services.kms.model.EncryptRequest;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * A key in AWS KMS that wraps data keys with {@code Encrypt} and unwraps them with {@code Decrypt},
 * the backup's id as the encryption context ({@code influxbak-backup}), so that KMS itself refuses
 * a wrapped key moved to another backup. The data key never leaves for anywhere but KMS over TLS;
 * KMS's answer is scrubbed of secrets before it reaches a message.
 */
@ThreadSafe
public final class AwsKmsKey implements KeyEncryptionKey, Closeable {
  /** The encryption context's key. */
  static final String CONTEXT = "influxbak-backup";

  private final KmsClient client;
  private final String keyId;

  /** The key {@code keyId} (an id, an ARN or an alias) through {@code client}, which it closes. */
  public AwsKmsKey(KmsClient client, String keyId) {
    this.client = requireNonNull(client, "client is null");
    this.keyId = requireNonNull(keyId, "keyId is null");
  }

  @Override
  public String id() {
    return "aws-kms:" + keyId;
  }

  @Override
  public byte[] wrap(byte[] dataKey, String context) throws IOException {
    try {
      return client
          .encrypt(
              EncryptRequest.builder()
                  .keyId(keyId)
                  .plaintext(SdkBytes.fromByteArray(dataKey))
                  .encryptionContext(Map.of(CONTEXT, context))
                  .build())
          .ciphertextBlob()
          .asByteArray();
    } catch (SdkException e) {
      throw failure(context, "wrap", e);
    }
  }

  @Override
  public byte[] unwrap(byte[] wrapped, String context) throws IOException {
    try {
      return client
          .decrypt(
              DecryptRequest.builder()
                  .keyId(keyId)
                  .ciphertextBlob(SdkBytes.fromByteArray(wrapped))
                  .encryptionContext(Map.of(CONTEXT, context))
                  .build())
          .plaintext()
          .asByteArray();
    } catch (SdkException e) {
      throw failure(context, "unwrap", e);
    }
  }

  /** The service's failure as the caller is told it ({@link KeyServiceFailure}). */
  private IOException failure(String backupId, String what, SdkException e) {
    return KeyServiceFailure.of(
        "AWS KMS",
        id(),
        backupId,
        what,
        e instanceof KmsException ? ((KmsException) e).statusCode() : 0,
        SecretScrubber.describe(e),
        e);
  }

  /** Names the key, never material. */
  @Override
  public String toString() {
    return id();
  }

  @Override
  public void close() {
    client.close();
  }
}
