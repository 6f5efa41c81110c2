package io.influxbak.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.io.BaseEncoding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local keys and the data-key record: a key parses from what {@code openssl rand} prints, wraps a
 * data key for one backup only, and no key material reaches a record, a message or a string.
 */
class LocalKeyTest {
  @TempDir Path dir;

  @Test
  void keyFile_base64OrHex_sameKey() throws IOException {
    LocalKey key = LocalKey.generate();
    byte[] material = BaseEncoding.base64().decode(key.encoded());
    Files.writeString(dir.resolve("b64"), key.encoded() + "\n");
    Files.writeString(dir.resolve("hex"), BaseEncoding.base16().encode(material));

    assertThat(LocalKey.fromFile(dir.resolve("b64")).id()).isEqualTo(key.id());
    assertThat(LocalKey.fromFile(dir.resolve("hex")).id()).isEqualTo(key.id());
    assertThat(KeyEncryptionKeys.open("file:" + dir.resolve("b64")).id()).isEqualTo(key.id());
    assertThat(key.id()).matches("local:[0-9a-f]{16}");
    assertThat(key.toString()).isEqualTo(key.id()).doesNotContain(key.encoded());
  }

  @Test
  void notAKey_refusedNamingTheSourceNotTheText() throws IOException {
    Files.writeString(dir.resolve("short"), "c2VjcmV0LXBhc3N3b3Jk");

    assertThatThrownBy(() -> LocalKey.fromFile(dir.resolve("short")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key file " + dir.resolve("short"))
        .hasMessageContaining("256-bit")
        .hasMessageNotContaining("c2VjcmV0LXBhc3N3b3Jk");
    assertThatThrownBy(() -> KeyEncryptionKeys.open("c2VjcmV0LXBhc3N3b3Jk"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("file:PATH or env:NAME")
        .hasMessageNotContaining("c2VjcmV0");
    assertThatThrownBy(() -> KeyEncryptionKeys.open("env:INFLUXBAK_TEST_UNSET_VARIABLE"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("INFLUXBAK_TEST_UNSET_VARIABLE is not set");
  }

  @Test
  void record_unwrapsForItsBackupWithItsKeyOnly() throws IOException {
    LocalKey kek = LocalKey.generate();
    DataKey dataKey = DataKey.generate();
    byte[] record = dataKey.record(kek, "b1");
    String text = new String(record, StandardCharsets.UTF_8);

    assertThat(text).contains(kek.id()).doesNotContain(kek.encoded());
    DataKey back = DataKey.fromRecord(Optional.of(kek), record, "b1");
    assertThat(back.toString()).doesNotContain("=").isEqualTo("DataKey[redacted]");
    // the same key: what one encrypts, the other decrypts
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.io.OutputStream enc = dataKey.encrypt(out, "x")) {
      enc.write(new byte[] {1, 2, 3});
    }
    assertThat(
            back.decrypt(new java.io.ByteArrayInputStream(out.toByteArray()), "x", "x")
                .readAllBytes())
        .containsExactly(1, 2, 3);

    assertThatThrownBy(() -> DataKey.fromRecord(Optional.empty(), record, "b1"))
        .isInstanceOf(EncryptionKeyException.class)
        .hasMessageContaining("backup b1")
        .hasMessageContaining("wrapped by " + kek.id());
    LocalKey other = LocalKey.generate();
    assertThatThrownBy(() -> DataKey.fromRecord(Optional.of(other), record, "b1"))
        .isInstanceOf(EncryptionKeyException.class)
        .hasMessageContaining("does not unwrap with " + other.id())
        .hasMessageContaining("key.json names " + kek.id())
        .hasMessageNotContaining(other.encoded());
    assertThatThrownBy(() -> DataKey.fromRecord(Optional.of(kek), record, "b2"))
        .as("a record copied into another backup")
        .isInstanceOf(EncryptionKeyException.class)
        .hasMessageContaining("backup b2")
        .hasMessageContaining("taken from another backup");
    assertThatThrownBy(
            () -> DataKey.fromRecord(Optional.of(kek), "{\"format\":1}".getBytes(), "b1"))
        .isInstanceOf(EncryptionKeyException.class)
        .hasMessageContaining("not an influxbak data key record");
  }
}
