/**
 * Azure Key Vault as the key that wraps encrypted backups' data keys ({@code
 * azure-keyvault:https://VAULT.vault.azure.net/keys/NAME[/VERSION]}), through the Key Vault keys
 * SDK: {@link io.influxbak.encryption.azure.AzureKeyVaultKey}, opened by {@link
 * io.influxbak.encryption.azure.AzureKeyVaultKeyProvider}.
 */
@ParametersAreNonnullByDefault
package io.influxbak.encryption.azure;

import javax.annotation.ParametersAreNonnullByDefault;
