package io.influxbak.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.influxbak.examples.SampleNode;
import io.influxbak.transfer.CancellationHandle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backup --encrypt --key file:...} as an operator runs it, and every command that reads the
 * backup: with the key it lists, verifies and restores byte for byte; without it, or with another
 * key, each says so in one line and restores nothing; a tampered object fails a deep verify.
 */
class EncryptionCommandLineTest {
  @TempDir Path work;
  private Path data;
  private Path backups;
  private Path key;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void sampleNodeAndKey() throws IOException {
    data = Files.createDirectories(work.resolve("data"));
    SampleNode.create(data, "node0");
    backups = work.resolve("backups");
    key = writeKey("key", 1);
  }

  private Path writeKey(String name, long seed) throws IOException {
    byte[] material = new byte[32];
    new Random(seed).nextBytes(material);
    return Files.writeString(work.resolve(name), Base64.getEncoder().encodeToString(material));
  }

  private int run(String... args) {
    out.reset();
    err.reset();
    return Influxbak.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        false,
        new CancellationHandle(),
        Map.of("XDG_CONFIG_HOME", work.resolve("no-config").toString()));
  }

  private int withBackups(String command, String... more) {
    List<String> args = new ArrayList<>(List.of(command, "--backups", backups.toString()));
    if (!command.equals("list")) {
      args.addAll(List.of("--progress", "none"));
    }
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private int backup(String id, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "backup",
                "--source",
                data.toString(),
                "--backups",
                backups.toString(),
                "--node",
                "node0",
                "--backup-id",
                id,
                "--progress",
                "none"));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  private static List<Path> files(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void encryptedBackup_readWithItsKeyOnly() throws IOException {
    assertThat(backup("b1", "--encrypt", "--key", "file:" + key)).as(err()).isZero();
    assertThat(files(backups.resolve("b1/node0")))
        .isNotEmpty()
        .allSatisfy(f -> assertThat(f.toString()).endsWith(".enc"));
    assertThat(Files.readString(backups.resolve("b1/key.json")))
        .doesNotContain(Files.readString(key).strip());

    assertThat(withBackups("list")).isZero();
    assertThat(out()).contains("unreadable").contains("is encrypted");
    assertThat(withBackups("list", "--key", "file:" + key)).isZero();
    assertThat(out()).contains("complete");
    assertThat(withBackups("verify", "--backup-id", "b1", "--deep", "--key", "file:" + key))
        .as(err())
        .isZero();
    assertThat(withBackups("verify", "--backup-id", "b1"))
        .as("no key: the caller's problem, not a damaged backup")
        .isEqualTo(ExitCodes.FAILURE);
    assertThat(err()).contains("give that key");
    assertThat(withBackups("verify", "--latest")).isEqualTo(ExitCodes.FAILURE);
    assertThat(err())
        .as("--latest says why the complete backup does not count")
        .contains("backup b1 does not read here")
        .contains("give that key");

    Path nowhere = work.resolve("r0");
    assertThat(withBackups("restore", "--backup-id", "b1", "--target", nowhere.toString()))
        .isEqualTo(ExitCodes.FAILURE);
    assertThat(err().strip().lines()).hasSize(1);
    Path other = writeKey("other", 2);
    assertThat(
            withBackups(
                "restore",
                "--backup-id",
                "b1",
                "--target",
                nowhere.toString(),
                "--key",
                "file:" + other))
        .isEqualTo(ExitCodes.FAILURE);
    assertThat(err()).contains("does not unwrap").doesNotContain(Files.readString(other).strip());
    assertThat(nowhere.toFile().exists() ? files(nowhere) : List.of()).isEmpty();

    Path restored = work.resolve("r1");
    assertThat(
            withBackups(
                "restore",
                "--backup-id",
                "b1",
                "--target",
                restored.toString(),
                "--key",
                "file:" + key))
        .as(err())
        .isZero();
    for (Path original : files(data)) {
      assertThat(restored.resolve(data.relativize(original)))
          .as("%s", original)
          .hasSameBinaryContentAs(original);
    }
    assertThat(files(restored)).hasSameSizeAs(files(data));
  }

  @Test
  void tamperedObject_deepVerifyFails_exit3() throws IOException {
    assertThat(backup("b1", "--encrypt", "--key", "file:" + key)).as(err()).isZero();
    Path victim =
        files(backups.resolve("b1/node0")).stream()
            .filter(f -> f.toString().endsWith(".wal.enc"))
            .findFirst()
            .orElseThrow();
    byte[] bytes = Files.readAllBytes(victim);
    bytes[bytes.length / 2] ^= 4;
    Files.write(victim, bytes);

    assertThat(withBackups("verify", "--backup-id", "b1", "--deep", "--key", "file:" + key))
        .isEqualTo(ExitCodes.VERIFY_FAILED);
    assertThat(out()).contains("CHECKSUM_MISMATCH").contains("does not authenticate");
  }

  @Test
  void generateKey_ownerOnlyFile_neverReplaced_andItEncrypts() throws IOException {
    Path generated = work.resolve("keys/backup.key");

    assertThat(run("generate-key", "--out", generated.toString())).as(err()).isZero();
    String material = Files.readString(generated).strip();
    assertThat(out()).contains("Wrote key local:").doesNotContain(material);
    assertThat(java.nio.file.Files.getPosixFilePermissions(generated))
        .containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    assertThat(run("generate-key", "--out", generated.toString())).isEqualTo(ExitCodes.USAGE);
    assertThat(err()).contains(generated + " exists; a key file is never replaced");
    assertThat(Files.readString(generated).strip()).isEqualTo(material);
    assertThat(backup("g1", "--encrypt", "--key", "file:" + generated)).as(err()).isZero();
    assertThat(withBackups("verify", "--backup-id", "g1", "--deep", "--key", "file:" + generated))
        .as(err())
        .isZero();
  }

  @Test
  void rekey_movesBackupsToTheNewKey_onceAndForAll() throws IOException {
    assertThat(backup("b1", "--encrypt", "--key", "file:" + key)).as(err()).isZero();
    Path next = writeKey("next", 3);

    assertThat(run("rekey", "--backups", backups.toString(), "--new-key", "file:" + next))
        .as("rekey needs the current key")
        .isEqualTo(ExitCodes.USAGE);
    String[] rekey = {
      "rekey", "--backups", backups.toString(), "--key", "file:" + key, "--new-key", "file:" + next
    };
    assertThat(run(rekey)).as(err()).isZero();
    assertThat(out()).contains("Rekeyed 1 backup(s)");
    assertThat(run(rekey)).isZero();
    assertThat(out()).contains("Rekeyed 0 backup(s)").contains("1 already under it");

    assertThat(withBackups("verify", "--backup-id", "b1", "--deep", "--key", "file:" + key))
        .as("the old key no longer opens it")
        .isEqualTo(ExitCodes.FAILURE);
    assertThat(withBackups("verify", "--backup-id", "b1", "--deep", "--key", "file:" + next))
        .as(err())
        .isZero();
  }

  @Test
  void encryptWithoutKey_orKeyWithoutEncrypt_usageErrors() {
    assertThat(backup("b1", "--encrypt")).isEqualTo(ExitCodes.USAGE);
    assertThat(err()).contains("--encrypt needs --key");
    assertThat(backup("b1", "--key", "file:" + key)).isEqualTo(ExitCodes.USAGE);
    assertThat(err()).contains("add --encrypt");
    assertThat(backups.resolve("b1")).doesNotExist();
  }
}
