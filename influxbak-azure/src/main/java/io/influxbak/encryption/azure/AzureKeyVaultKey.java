package io.influxbak.encryption.azure;

import static java.util.Objects.requireNonNull;

import com.azure.core.exception.HttpResponseException;
import com.azure.security.keyvault.keys.cryptography.CryptographyClient;
import com.azure.security.keyvault.keys.cryptography.models.KeyWrapAlgorithm;
import io.influxbak.encryption.EncryptionKeyException;
import io.influxbak.encryption.KeyEncryptionKey;
import io.influxbak.encryption.KeyServiceFailure;
import io.influxbak.store.SecretScrubber;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.annotation.concurrent.ThreadSafe;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Key Vault (or Managed HSM) key that wraps data keys. Key Vault's wrap takes no authenticated
 * data, so the backup's id is bound in a second layer: Key Vault wraps a random binding key, and
 * the binding key seals the data key with AES-256-GCM, the backup's id as authenticated data. A
 * wrapped key moved to another backup then unwraps in Key Vault but fails the seal. The stored form
 * is the length of Key Vault's output (2 bytes), that output, a 12-byte nonce and the sealed key.
 */
@ThreadSafe
public final class AzureKeyVaultKey implements KeyEncryptionKey {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final CryptographyClient client;
  private final String keyId;
  private final KeyWrapAlgorithm algorithm;

  /** The key {@code keyId} (its URL) through {@code client}, wrapping with {@code algorithm}. */
  public AzureKeyVaultKey(CryptographyClient client, String keyId, KeyWrapAlgorithm algorithm) {
    this.client = requireNonNull(client, "client is null");
    this.keyId = requireNonNull(keyId, "keyId is null");
    this.algorithm = requireNonNull(algorithm, "algorithm is null");
  }

  @Override
  public String id() {
    return "azure-keyvault:" + keyId;
  }

  @Override
  public byte[] wrap(byte[] dataKey, String context) throws IOException {
    byte[] binding = new byte[32];
    RANDOM.nextBytes(binding);
    byte[] nonce = new byte[12];
    RANDOM.nextBytes(nonce);
    byte[] vaulted;
    try {
      vaulted = client.wrapKey(algorithm, binding).getEncryptedKey();
    } catch (HttpResponseException e) {
      throw failure(context, "wrap", e);
    }
    byte[] sealed = seal(Cipher.ENCRYPT_MODE, binding, nonce, context, dataKey);
    return ByteBuffer.allocate(2 + vaulted.length + nonce.length + sealed.length)
        .putShort((short) vaulted.length)
        .put(vaulted)
        .put(nonce)
        .put(sealed)
        .array();
  }

  @Override
  public byte[] unwrap(byte[] wrapped, String context) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(wrapped);
    int length = wrapped.length < 2 ? -1 : Short.toUnsignedInt(in.getShort());
    if (length < 0 || in.remaining() < length + 12 + 16) {
      throw new EncryptionKeyException(context, "its wrapped key is not one Key Vault made");
    }
    byte[] vaulted = new byte[length];
    in.get(vaulted);
    byte[] nonce = new byte[12];
    in.get(nonce);
    byte[] sealed = new byte[in.remaining()];
    in.get(sealed);
    byte[] binding;
    try {
      binding = client.unwrapKey(algorithm, vaulted).getKey();
    } catch (HttpResponseException e) {
      throw failure(context, "unwrap", e);
    }
    return seal(Cipher.DECRYPT_MODE, binding, nonce, context, sealed);
  }

  private static byte[] seal(int mode, byte[] key, byte[] nonce, String context, byte[] input)
      throws IOException {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
      cipher.updateAAD(
          ("influxbak data key of backup " + context).getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(input);
    } catch (AEADBadTagException e) {
      throw new EncryptionKeyException(
          context, "its wrapped key is bound to another backup (or was changed)");
    } catch (GeneralSecurityException e) {
      throw new IOException("AES-GCM failed", e);
    }
  }

  /** The service's failure as the caller is told it ({@link KeyServiceFailure}). */
  private IOException failure(String backupId, String what, HttpResponseException e) {
    return KeyServiceFailure.of(
        "Key Vault",
        id(),
        backupId,
        what,
        e.getResponse() == null ? 0 : e.getResponse().getStatusCode(),
        SecretScrubber.describe(e),
        e);
  }

  /** Names the key, never material. */
  @Override
  public String toString() {
    return id();
  }
}
