package io.influxbak.encryption.gcp;

import static java.util.Objects.requireNonNull;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.services.cloudkms.v1.CloudKMS;
import com.google.api.services.cloudkms.v1.model.DecryptRequest;
import com.google.api.services.cloudkms.v1.model.EncryptRequest;
import io.influxbak.encryption.KeyEncryptionKey;
import io.influxbak.encryption.KeyServiceFailure;
import io.influxbak.store.SecretScrubber;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.annotation.concurrent.ThreadSafe;

/**
 * A Cloud KMS symmetric key that wraps data keys with {@code encrypt} and unwraps them with {@code
 * decrypt}, the backup's id as additional authenticated data, so that KMS itself refuses a wrapped
 * key moved to another backup.
 */
@ThreadSafe
public final class GcpKmsKey implements KeyEncryptionKey {
  private final CloudKMS client;
  private final String name;

  /** The key {@code name} ({@code projects/.../cryptoKeys/KEY}) through {@code client}. */
  public GcpKmsKey(CloudKMS client, String name) {
    this.client = requireNonNull(client, "client is null");
    this.name = requireNonNull(name, "name is null");
  }

  @Override
  public String id() {
    return "gcp-kms:" + name;
  }

  @Override
  public byte[] wrap(byte[] dataKey, String context) throws IOException {
    try {
      return client
          .projects()
          .locations()
          .keyRings()
          .cryptoKeys()
          .encrypt(
              name,
              new EncryptRequest()
                  .encodePlaintext(dataKey)
                  .encodeAdditionalAuthenticatedData(aad(context)))
          .execute()
          .decodeCiphertext();
    } catch (GoogleJsonResponseException e) {
      throw failure(context, "wrap", e);
    }
  }

  @Override
  public byte[] unwrap(byte[] wrapped, String context) throws IOException {
    try {
      return client
          .projects()
          .locations()
          .keyRings()
          .cryptoKeys()
          .decrypt(
              name,
              new DecryptRequest()
                  .encodeCiphertext(wrapped)
                  .encodeAdditionalAuthenticatedData(aad(context)))
          .execute()
          .decodePlaintext();
    } catch (GoogleJsonResponseException e) {
      throw failure(context, "unwrap", e);
    }
  }

  private static byte[] aad(String context) {
    return ("influxbak-backup:" + context).getBytes(StandardCharsets.UTF_8);
  }

  /** The service's failure as the caller is told it ({@link KeyServiceFailure}). */
  private IOException failure(String backupId, String what, GoogleJsonResponseException e) {
    String said =
        e.getDetails() != null && e.getDetails().getMessage() != null
            ? e.getStatusCode() + " " + e.getDetails().getMessage()
            : SecretScrubber.describe(e);
    return KeyServiceFailure.of("Cloud KMS", id(), backupId, what, e.getStatusCode(), said, e);
  }

  /** Names the key, never material. */
  @Override
  public String toString() {
    return id();
  }
}
