package io.influxbak.encryption.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.influxbak.backup.testing.BackupScenarios;
import io.influxbak.encryption.EncryptionKeyException;
import io.influxbak.encryption.KeyEncryptionKey;
import io.influxbak.encryption.KeyEncryptionKeys;
import io.influxbak.layout.NodeId;
import io.influxbak.restore.RestorePlan;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.TransientStoreException;
import io.influxbak.store.testing.InMemoryObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code aws-kms:} keys through the AWS SDK against a loopback server speaking KMS's JSON protocol
 * ({@link FakeKmsServer}): data keys are wrapped with the backup's id as encryption context, so KMS
 * refuses one moved to another backup; a refusal is a key error naming the backup, a 5xx a
 * transient one; an encrypted backup made with a KMS key restores byte for byte.
 */
class AwsKmsKeyTest {
  private static final String SECRET = "kms-test-secret-never-printed";
  private final FakeKmsServer kms;
  private final String arn;

  AwsKmsKeyTest() throws IOException {
    kms = new FakeKmsServer();
    arn = kms.createKey("1234abcd-12ab-34cd-56ef-1234567890ab");
  }

  @AfterEach
  void stop() {
    kms.close();
  }

  private KeyEncryptionKey open(String spec) throws IOException {
    return KeyEncryptionKeys.open(
        spec,
        Map.of(
            "aws-kms.endpoint",
            kms.endpoint(),
            "aws-kms.access-key-id",
            "AKIDTEST",
            "aws-kms.secret-access-key",
            SECRET));
  }

  @Test
  void wrapsForOneBackup_unwrapsOnlyThere() throws IOException {
    KeyEncryptionKey key = open("aws-kms:" + arn);
    byte[] dataKey = new byte[32];
    dataKey[0] = 7;

    byte[] wrapped = key.wrap(dataKey, "b1");

    assertThat(key.id()).isEqualTo("aws-kms:" + arn);
    assertThat(key.unwrap(wrapped, "b1")).isEqualTo(dataKey);
    assertThat(kms.calls)
        .extracting(FakeKmsServer.Call::operation)
        .containsExactly("Encrypt", "Decrypt");
    assertThat(kms.calls)
        .allSatisfy(
            c -> {
              assertThat(c.signed()).as("SigV4-signed").isTrue();
              assertThat(c.keyId()).isEqualTo(arn);
              assertThat(c.context()).isEqualTo("\"influxbak-backup\":\"b1\"");
            });
    assertThatThrownBy(() -> key.unwrap(wrapped, "b2"))
        .isInstanceOf(EncryptionKeyException.class)
        .hasMessageContaining("backup b2")
        .hasMessageContaining("InvalidCiphertext")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void unknownKey_refusedAsAKeyError_serverFault_transient() throws IOException {
    KeyEncryptionKey missing = open("aws-kms:arn:aws:kms:us-east-1:111122223333:key/none");
    assertThatThrownBy(() -> missing.wrap(new byte[32], "b1"))
        .isInstanceOf(EncryptionKeyException.class)
        .hasMessageContaining("NotFound")
        .hasMessageNotContaining(SECRET);

    KeyEncryptionKey key = open("aws-kms:" + arn);
    kms.failNext.set(100);
    assertThatThrownBy(() -> key.wrap(new byte[32], "b1"))
        .isInstanceOf(TransientStoreException.class)
        .hasMessageContaining("did not wrap the data key of backup b1");
    assertThat(kms.calls.size()).as("the SDK retried the 500s first").isGreaterThan(2);
  }

  @Test
  void encryptedBackupWithAKmsKey_restoresByteForByte_andNeedsTheKey() throws IOException {
    InMemoryObjectStore backups = new InMemoryObjectStore();

    BackupScenarios.encrypted(
        new InMemoryObjectStore(),
        backups,
        NodeId.of("node0"),
        open("aws-kms:" + arn),
        open("aws-kms:" + arn));

    assertThat(
            new String(
                backups.bytes(ObjectKey.of("e1/key.json")).orElseThrow(), StandardCharsets.UTF_8))
        .contains("aws-kms:" + arn);
    assertThatThrownBy(() -> RestorePlan.of("e1").execute(backups, new InMemoryObjectStore()))
        .isInstanceOf(EncryptionKeyException.class)
        .hasMessageContaining("wrapped by aws-kms:" + arn);
  }
}
