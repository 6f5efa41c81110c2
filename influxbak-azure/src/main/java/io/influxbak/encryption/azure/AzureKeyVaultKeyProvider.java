package io.influxbak.encryption.azure;

import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.security.keyvault.keys.cryptography.CryptographyClientBuilder;
import com.azure.security.keyvault.keys.cryptography.models.KeyWrapAlgorithm;
import com.google.common.collect.ImmutableList;
import io.influxbak.encryption.KeyEncryptionKey;
import io.influxbak.encryption.KeyEncryptionKeyProvider;
import io.influxbak.store.settings.StoreSetting;
import io.influxbak.store.settings.StoreSettings;
import java.util.Map;

/**
 * Opens {@code azure-keyvault:https://VAULT.vault.azure.net/keys/NAME[/VERSION]} keys, with the
 * credentials of {@code DefaultAzureCredential} (environment, workload or managed identity, Azure
 * CLI). Setting: {@code azure-keyvault.algorithm}, the wrap algorithm: {@code RSA-OAEP-256} (the
 * default, for RSA keys) or {@code A256KW} (Managed HSM AES keys).
 */
public final class AzureKeyVaultKeyProvider implements KeyEncryptionKeyProvider {
  /** The wrap algorithm. */
  public static final StoreSetting<String> ALGORITHM =
      StoreSetting.text("azure-keyvault.algorithm");

  /** For {@link java.util.ServiceLoader}. */
  public AzureKeyVaultKeyProvider() {}

  @Override
  public String scheme() {
    return "azure-keyvault";
  }

  @Override
  public KeyEncryptionKey open(String name, Map<String, String> properties) {
    if (!name.matches("https://[^/]+/keys/[^/]+(/[^/]+)?/?")) {
      throw new IllegalArgumentException(
          "azure-keyvault: names no key; give azure-keyvault:https://VAULT.vault.azure.net/keys/NAME");
    }
    StoreSettings settings =
        StoreSettings.of("azure-keyvault.", ImmutableList.of(ALGORITHM), properties);
    String algorithm = settings.get(ALGORITHM, "RSA-OAEP-256");
    if (!algorithm.equals("RSA-OAEP-256") && !algorithm.equals("A256KW")) {
      throw new IllegalArgumentException(
          "azure-keyvault.algorithm must be RSA-OAEP-256 or A256KW, not " + algorithm);
    }
    return new AzureKeyVaultKey(
        new CryptographyClientBuilder()
            .keyIdentifier(name)
            .credential(new DefaultAzureCredentialBuilder().build())
            .buildClient(),
        name,
        KeyWrapAlgorithm.fromString(algorithm));
  }
}
