package io.influxbak.cli;

import io.influxbak.encryption.BackupKeys;
import io.influxbak.encryption.KeyEncryptionKey;
import io.influxbak.encryption.KeyEncryptionKeys;
import io.influxbak.store.StoreLocation;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.annotation.Nullable;
import picocli.CommandLine.Option;

/**
 * The key that opens encrypted backups (and, with {@code backup --encrypt}, encrypts one): a local
 * key in a file or an environment variable, or a key service's key. The option holds where the key
 * is, never the key.
 */
final class KeyOptions {
  @Option(
      names = "--key",
      paramLabel = "KEY",
      description =
          "Where the key that wraps encrypted backups' data keys is: file:PATH or env:NAME (256 bits in base64, as `openssl rand -base64 32` prints), or aws-kms:KEY_ID_OR_ARN, gcp-kms:projects/.../cryptoKeys/KEY, azure-keyvault:https://VAULT.vault.azure.net/keys/NAME. Needed to read an encrypted backup; never printed.")
  String key;

  @Option(
      names = "--key-property",
      paramLabel = "KEY=VALUE",
      split = ",",
      description =
          "A setting of the key service's client, e.g. aws-kms.region=eu-west-1, gcp-kms.credentials-file=PATH, azure-keyvault.algorithm=A256KW (repeatable). Credentials come from the SDK's standard chain.")
  Map<String, String> properties = new LinkedHashMap<>();

  @Nullable private KeyEncryptionKey opened;
  @Nullable private BackupKeys keys;

  /**
   * The key {@code --key} names, opened once per command (a KMS client, the warm-up thread); empty
   * without {@code --key}.
   */
  Optional<KeyEncryptionKey> open() throws IOException {
    if (key == null) {
      return Optional.empty();
    }
    if (opened == null) {
      CipherWarmUp.start();
      opened = KeyEncryptionKeys.open(key, StoreLocation.resolved(properties));
    }
    return Optional.of(opened);
  }

  /**
   * The keys the command reads encrypted backups with: one instance, so each backup's data key is
   * unwrapped once however many reads the command makes.
   */
  BackupKeys keys() throws IOException {
    if (keys == null) {
      keys = open().map(BackupKeys::of).orElse(BackupKeys.NONE);
    }
    return keys;
  }
}
