package io.influxbak.encryption.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.influxbak.backup.testing.BackupScenarios;
import io.influxbak.encryption.EncryptionKeyException;
import io.influxbak.encryption.KeyEncryptionKey;
import io.influxbak.encryption.KeyEncryptionKeys;
import io.influxbak.layout.NodeId;
import io.influxbak.store.testing.InMemoryObjectStore;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code gcp-kms:} keys through Cloud KMS's JSON API client against a loopback server speaking that
 * API ({@link FakeCloudKmsServer}): wrapped with the backup's id as additional authenticated data,
 * so a wrapped key moved to another backup is refused; an encrypted backup made with it restores
 * byte for byte.
 */
class GcpKmsKeyTest {
  private final FakeCloudKmsServer kms;
  private final String name;

  GcpKmsKeyTest() throws IOException {
    kms = new FakeCloudKmsServer();
    name = kms.createKey("influxbak");
  }

  @AfterEach
  void stop() {
    kms.close();
  }

  private KeyEncryptionKey open(String spec) throws IOException {
    return KeyEncryptionKeys.open(
        spec, Map.of("gcp-kms.endpoint", kms.endpoint(), "gcp-kms.no-credentials", "true"));
  }

  @Test
  void wrapsForOneBackup_unwrapsOnlyThere() throws IOException {
    KeyEncryptionKey key = open("gcp-kms:" + name);
    byte[] dataKey = new byte[32];
    dataKey[31] = 9;

    byte[] wrapped = key.wrap(dataKey, "b1");

    assertThat(key.id()).isEqualTo("gcp-kms:" + name);
    assertThat(key.unwrap(wrapped, "b1")).isEqualTo(dataKey);
    assertThat(kms.calls)
        .extracting(FakeCloudKmsServer.Call::method)
        .containsExactly("encrypt", "decrypt");
    assertThat(kms.calls).allSatisfy(c -> assertThat(c.withAad()).isTrue());
    assertThatThrownBy(() -> key.unwrap(wrapped, "b2"))
        .isInstanceOf(EncryptionKeyException.class)
        .hasMessageContaining("backup b2")
        .hasMessageContaining("400 Decryption failed");
  }

  @Test
  void unknownKeyOrMalformedName_refused() throws IOException {
    KeyEncryptionKey missing =
        open("gcp-kms:projects/p/locations/global/keyRings/backups/cryptoKeys/none");
    assertThatThrownBy(() -> missing.wrap(new byte[32], "b1"))
        .isInstanceOf(EncryptionKeyException.class)
        .hasMessageContaining("404")
        .hasMessageContaining("not found");
    assertThatThrownBy(() -> open("gcp-kms:my-key"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("projects/P/locations/L/keyRings/R/cryptoKeys/K");
  }

  @Test
  void encryptedBackupWithACloudKmsKey_restoresByteForByte() throws IOException {
    BackupScenarios.encrypted(
        new InMemoryObjectStore(),
        new InMemoryObjectStore(),
        NodeId.of("node0"),
        open("gcp-kms:" + name),
        open("gcp-kms:" + name));
  }
}
