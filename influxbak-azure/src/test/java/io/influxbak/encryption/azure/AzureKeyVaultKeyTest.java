package io.influxbak.encryption.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.security.keyvault.keys.cryptography.CryptographyClientBuilder;
import com.azure.security.keyvault.keys.cryptography.models.KeyWrapAlgorithm;
import io.influxbak.backup.testing.BackupScenarios;
import io.influxbak.encryption.EncryptionKeyException;
import io.influxbak.encryption.KeyEncryptionKeys;
import io.influxbak.layout.NodeId;
import io.influxbak.store.testing.InMemoryObjectStore;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code azure-keyvault:} keys through the Key Vault keys SDK against a loopback server speaking
 * Key Vault's REST API ({@link FakeKeyVaultServer}). The SDK sends bearer tokens over HTTPS only,
 * so these tests give it a pipeline without the credential policy: the wire protocol of wrap and
 * unwrap is exercised here, Entra ID authentication only against a real vault.
 */
class AzureKeyVaultKeyTest {
  private final FakeKeyVaultServer vault;

  AzureKeyVaultKeyTest() throws IOException, GeneralSecurityException {
    vault = new FakeKeyVaultServer();
  }

  @AfterEach
  void stop() {
    vault.close();
  }

  private AzureKeyVaultKey key() {
    return new AzureKeyVaultKey(
        new CryptographyClientBuilder()
            .keyIdentifier(vault.keyId())
            .pipeline(new HttpPipelineBuilder().httpClient(HttpClient.createDefault()).build())
            .buildClient(),
        vault.keyId(),
        KeyWrapAlgorithm.RSA_OAEP_256);
  }

  @Test
  void wrapsForOneBackup_unwrapsOnlyThere() throws IOException {
    AzureKeyVaultKey key = key();
    byte[] dataKey = new byte[32];
    dataKey[5] = 42;

    byte[] wrapped = key.wrap(dataKey, "b1");

    assertThat(key.unwrap(wrapped, "b1")).isEqualTo(dataKey);
    assertThat(vault.calls).anyMatch(c -> c.startsWith("POST ") && c.endsWith("/wrapkey"));
    assertThat(vault.calls).anyMatch(c -> c.startsWith("POST ") && c.endsWith("/unwrapkey"));
    assertThatThrownBy(() -> key.unwrap(wrapped, "b2"))
        .isInstanceOf(EncryptionKeyException.class)
        .hasMessageContaining("backup b2")
        .hasMessageContaining("bound to another backup");
    byte[] tampered = wrapped.clone();
    tampered[10] ^= 1; // inside Key Vault's part: the vault refuses it
    assertThatThrownBy(() -> key.unwrap(tampered, "b1"))
        .isInstanceOf(EncryptionKeyException.class)
        .hasMessageContaining("Key Vault refused to unwrap");
  }

  @Test
  void encryptedBackupWithAKeyVaultKey_restoresByteForByte() throws IOException {
    BackupScenarios.encrypted(
        new InMemoryObjectStore(), new InMemoryObjectStore(), NodeId.of("node0"), key(), key());
  }

  @Test
  void providerFoundByScheme_refusesWhatIsNotAKeyUrl() {
    assertThatThrownBy(() -> KeyEncryptionKeys.open("azure-keyvault:my-key", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("https://VAULT.vault.azure.net/keys/NAME");
    assertThatThrownBy(
            () ->
                KeyEncryptionKeys.open(
                    "azure-keyvault:https://v.vault.azure.net/keys/k",
                    Map.of("azure-keyvault.algorithm", "RSA1_5")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("RSA-OAEP-256 or A256KW");
  }
}
