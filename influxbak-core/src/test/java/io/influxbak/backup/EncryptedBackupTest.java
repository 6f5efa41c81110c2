package io.influxbak.backup;

import static io.influxbak.backup.testing.RestoreCheck.expected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.collect.ImmutableSet;
import com.google.common.primitives.Bytes;
import io.influxbak.encryption.BackupKeys;
import io.influxbak.encryption.DataKey;
import io.influxbak.encryption.DecryptionFailedException;
import io.influxbak.encryption.EncryptionKeyException;
import io.influxbak.encryption.LocalKey;
import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.ObjectKind;
import io.influxbak.layout.testing.SimulatedCoreServer;
import io.influxbak.layout.testing.SimulatedCoreServer.Step;
import io.influxbak.manifest.BackupManifest;
import io.influxbak.manifest.Encoding;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupRepository;
import io.influxbak.repository.BackupSummary;
import io.influxbak.repository.ResumeNotPossibleException;
import io.influxbak.restore.BackupDamagedException;
import io.influxbak.restore.RestoreOptions;
import io.influxbak.restore.RestorePlan;
import io.influxbak.retention.KeyRotation;
import io.influxbak.retention.Prune;
import io.influxbak.retention.RetentionPolicy;
import io.influxbak.retention.UnreadableBackupsException;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.StoreCapabilities;
import io.influxbak.store.WriteMode;
import io.influxbak.store.testing.CrashingObjectStore;
import io.influxbak.store.testing.ForwardingObjectStore;
import io.influxbak.store.testing.InMemoryObjectStore;
import io.influxbak.store.testing.StoreKeys;
import io.influxbak.transfer.Compression;
import io.influxbak.transfer.TransferSettings;
import io.influxbak.verify.BackupVerifier;
import io.influxbak.verify.VerifyFinding;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Client-side encryption end to end, against a simulated server: what an encrypted backup stores
 * (no plaintext, sealed records), that restore, verify, incremental reuse, resume and prune work on
 * it with its key, and the hostile inputs (no key, the wrong key, a tampered, moved or borrowed
 * ciphertext, a manifest or a wrapped key from another backup) that are refused with a typed error
 * and restore nothing.
 */
class EncryptedBackupTest {
  private static final NodeId NODE = NodeId.of("node0");

  private final InMemoryObjectStore live = new InMemoryObjectStore();
  private final InMemoryObjectStore backups = new InMemoryObjectStore();
  private final LocalKey key = LocalKey.generate();

  @BeforeEach
  void serverWithHistory() throws IOException {
    SimulatedCoreServer server = new SimulatedCoreServer(live, NODE, CatalogGeneration.V3, 11);
    server.queue(List.of(Step.WRITE, Step.SNAPSHOT, Step.WRITE, Step.SNAPSHOT, Step.WRITE));
    server.drain();
  }

  private BackupResult backup(String id, BackupOptions.Builder options) throws IOException {
    return BackupPlan.core(NODE).withOptions(options.backupId(id).build()).execute(live, backups);
  }

  private BackupOptions.Builder encrypted() {
    return BackupOptions.builder().encryption(key);
  }

  private BackupManifest manifest(String id) throws IOException {
    return BackupRepository.of(backups, BackupKeys.of(key))
        .readManifest(BackupId.of(id), 1_000_000)
        .orElseThrow();
  }

  private static RestorePlan restoreWith(String id, LocalKey kek) {
    return RestorePlan.of(id).withOptions(RestoreOptions.builder().keys(kek).build());
  }

  private void assertRestores(ObjectStore from, String id, Map<ObjectKey, byte[]> state)
      throws IOException {
    InMemoryObjectStore target = new InMemoryObjectStore();
    restoreWith(id, key).execute(from, target);
    assertThat(StoreKeys.under(target, KeyPrefix.ROOT))
        .containsExactlyInAnyOrderElementsOf(state.keySet());
    for (Map.Entry<ObjectKey, byte[]> object : state.entrySet()) {
      assertThat(target.bytes(object.getKey()))
          .as("%s", object.getKey())
          .hasValue(object.getValue());
    }
  }

  private static byte[] bytes(InMemoryObjectStore store, String key) {
    return store.bytes(ObjectKey.of(key)).orElseThrow();
  }

  @Test
  void encryptedBackup_storesNoPlaintext_andRestoresAndVerifiesWithItsKey() throws IOException {
    BackupResult result = backup("a", encrypted());
    SortedMap<ObjectKey, byte[]> state = expected(live, manifest("a"));

    assertThat(result.objects())
        .isNotEmpty()
        .allSatisfy(o -> assertThat(o.stored().encoding()).isEqualTo(Encoding.ENCRYPTED));
    List<ObjectKey> stored = StoreKeys.under(backups, KeyPrefix.of("a"));
    assertThat(stored)
        .filteredOn(k -> !BackupRepository.isRecord(k.relativeTo(KeyPrefix.of("a"))))
        .hasSize(state.size())
        .allSatisfy(k -> assertThat(k.toString()).endsWith(".enc"));
    // The manifest is sealed; the wrapped key names the key-encryption key, not its material.
    assertThat(DataKey.isEncrypted(Arrays.copyOf(bytes(backups, "a/manifest.json"), 4))).isTrue();
    String keyRecord =
        new String(bytes(backups, "a/key.json"), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(keyRecord).contains(key.id()).doesNotContain(key.encoded());
    // No 48-byte run of any object's plaintext appears in anything stored.
    for (byte[] original : state.values()) {
      if (original.length >= 48) {
        byte[] run =
            Arrays.copyOfRange(original, original.length / 2 - 24, original.length / 2 + 24);
        for (ObjectKey k : stored) {
          assertThat(Bytes.indexOf(backups.bytes(k).orElseThrow(), run)).as("%s", k).isEqualTo(-1);
        }
      }
    }

    assertRestores(backups, "a", state);
    assertThat(
            BackupVerifier.shallow(
                    backups, BackupId.of("a"), TransferSettings.defaults(), BackupKeys.of(key))
                .findings())
        .isEmpty();
    assertThat(
            BackupVerifier.deep(
                    backups, BackupId.of("a"), TransferSettings.defaults(), BackupKeys.of(key))
                .findings())
        .isEmpty();
    assertThat(BackupRepository.of(backups, BackupKeys.of(key)).list())
        .singleElement()
        .satisfies(b -> assertThat(b.state()).isEqualTo(BackupSummary.State.COMPLETE));
  }

  @Test
  void withoutTheKeyOrWithAnother_refusedTyped_nothingRestored() throws IOException {
    backup("a", encrypted());
    InMemoryObjectStore target = new InMemoryObjectStore();

    assertThatThrownBy(() -> RestorePlan.of("a").execute(backups, target))
        .isInstanceOf(EncryptionKeyException.class)
        .hasMessageContaining("backup a")
        .hasMessageContaining("give that key");
    LocalKey other = LocalKey.generate();
    assertThatThrownBy(() -> restoreWith("a", other).execute(backups, target))
        .isInstanceOf(EncryptionKeyException.class)
        .hasMessageContaining("does not unwrap with " + other.id())
        .hasMessageNotContaining(other.encoded())
        .hasMessageNotContaining(key.encoded());
    assertThat(StoreKeys.under(target, KeyPrefix.ROOT)).isEmpty();
    // Listed, but not as incomplete: its manifest exists and does not read without the key.
    assertThat(BackupRepository.of(backups).list())
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b.state()).isEqualTo(BackupSummary.State.UNREADABLE);
              assertThat(b.problem().orElseThrow()).contains("is encrypted");
            });
    assertThatThrownBy(() -> BackupVerifier.shallow(backups, "a"))
        .as("the caller's missing key is no verdict on the backup")
        .isInstanceOf(EncryptionKeyException.class)
        .hasMessageContaining("give that key");
  }

  @Test
  void incremental_reusesOnlyCopiesEncryptedTheSameWay() throws IOException {
    backup("a", encrypted());
    SortedMap<ObjectKey, byte[]> state = expected(live, manifest("a"));

    BackupResult b = backup("b", encrypted());
    BackupResult plain = backup("c", BackupOptions.builder());
    BackupResult again = backup("d", encrypted());

    assertThat(b.objects()).allSatisfy(o -> assertThat(o.stored().backupId()).hasValue("a"));
    assertThat(plain.objects())
        .as("a plain backup copies afresh rather than reference ciphertext")
        .allSatisfy(
            o -> {
              assertThat(o.reused()).isFalse();
              assertThat(o.stored().encoding().encrypted()).isFalse();
            });
    assertThat(again.objects())
        .as("an encrypted backup never references the plain one")
        .allSatisfy(o -> assertThat(o.stored().holder("d")).isIn("a", "b", "d"))
        .allSatisfy(o -> assertThat(o.stored().encoding().encrypted()).isTrue());
    assertRestores(backups, "b", state);
    assertRestores(backups, "d", state);
    assertThat(
            BackupVerifier.deep(
                    backups, BackupId.of("d"), TransferSettings.defaults(), BackupKeys.of(key))
                .passed())
        .isTrue();
  }

  @Test
  void compressedAndEncrypted_gzipThenSealed() throws IOException {
    BackupResult result = backup("g", encrypted().compression(Compression.gzip()));
    SortedMap<ObjectKey, byte[]> state = expected(live, manifest("g"));

    assertThat(result.objects())
        .allSatisfy(
            o ->
                assertThat(o.stored().encoding())
                    .isEqualTo(
                        o.kind() == ObjectKind.PARQUET
                            ? Encoding.ENCRYPTED
                            : Encoding.GZIP_ENCRYPTED));
    assertThat(result.objects()).anyMatch(o -> o.stored().encoding() == Encoding.GZIP_ENCRYPTED);
    assertRestores(backups, "g", state);
  }

  /** A flipped byte: shallow verify sees the CRC32C, deep verify the failed segment. */
  @Test
  void tamperedCiphertext_foundByVerify_refusedByRestore() throws IOException {
    backup("a", encrypted());
    ManifestEntry victim = walEntry(manifest("a"));
    ObjectKey stored = victim.storedKey("a");
    byte[] bytes = backups.bytes(stored).orElseThrow();
    bytes[bytes.length - 20] ^= 1;
    backups.write(stored, ObjectContent.ofBytes(bytes), WriteMode.REPLACE);

    assertThat(
            BackupVerifier.deep(
                    backups, BackupId.of("a"), TransferSettings.defaults(), BackupKeys.of(key))
                .findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.key()).isEqualTo(stored);
              assertThat(f.problem()).isEqualTo(VerifyFinding.Problem.CHECKSUM_MISMATCH);
              assertThat(f.detail()).contains("does not authenticate");
            });
    InMemoryObjectStore target = new InMemoryObjectStore();
    assertThatThrownBy(() -> restoreWith("a", key).execute(backups, target))
        .isInstanceOf(BackupDamagedException.class)
        .hasMessageContaining(stored.toString());
    assertThat(StoreKeys.under(target, KeyPrefix.ROOT)).isEmpty();
  }

  /**
   * On a store that keeps no checksums (a file system), a ciphertext replaced by another object's
   * of the same backup is caught when it is read: the restore fails naming it, and no byte of it
   * reaches the target.
   */
  @Test
  void segmentsFromAnotherObject_onAStoreWithoutChecksums_failTheRestoreAtThatObject()
      throws IOException {
    backup("a", encrypted());
    BackupManifest m = manifest("a");
    ManifestEntry victim = walEntry(m);
    ManifestEntry donor =
        m.entries().stream()
            .filter(e -> e.kind() == ObjectKind.WAL && !e.equals(victim))
            .findFirst()
            .orElseThrow();
    backups.write(
        victim.storedKey("a"),
        ObjectContent.ofBytes(backups.bytes(donor.storedKey("a")).orElseThrow()),
        WriteMode.REPLACE);
    InMemoryObjectStore target = new InMemoryObjectStore();

    assertThatThrownBy(() -> restoreWith("a", key).execute(new NoChecksums(backups), target))
        .hasStackTraceContaining(DecryptionFailedException.class.getName())
        .hasStackTraceContaining(victim.storedKey("a").toString());
    assertThat(target.bytes(victim.key())).isEmpty();
  }

  @Test
  void manifestOrWrappedKeyFromAnotherBackup_refused_nothingRestored() throws IOException {
    backup("a", encrypted());
    backup("b", encrypted().full());
    InMemoryObjectStore target = new InMemoryObjectStore();
    byte[] manifestOfB = bytes(backups, "b/manifest.json");
    byte[] keyOfB = bytes(backups, "b/key.json");

    // b's manifest, sealed under b's data key for b's key, put in place of a's
    backups.write(
        ObjectKey.of("a/manifest.json"), ObjectContent.ofBytes(manifestOfB), WriteMode.REPLACE);
    assertThatThrownBy(() -> restoreWith("a", key).execute(backups, target))
        .isInstanceOf(DecryptionFailedException.class)
        .hasMessageContaining("a/manifest.json");

    // b's wrapped key in place of a's (a's manifest back)
    InMemoryObjectStore fresh = new InMemoryObjectStore();
    BackupPlan.core(NODE).withOptions(encrypted().backupId("a").build()).execute(live, fresh);
    BackupPlan.core(NODE)
        .withOptions(encrypted().backupId("b").full().build())
        .execute(live, fresh);
    fresh.write(
        ObjectKey.of("a/key.json"),
        ObjectContent.ofBytes(fresh.bytes(ObjectKey.of("b/key.json")).orElseThrow()),
        WriteMode.REPLACE);
    assertThatThrownBy(() -> restoreWith("a", key).execute(fresh, target))
        .isInstanceOf(EncryptionKeyException.class)
        .hasMessageContaining("backup a")
        .hasMessageContaining("taken from another backup");
    assertThat(keyOfB).isNotEmpty();
    assertThat(StoreKeys.under(target, KeyPrefix.ROOT)).isEmpty();
  }

  @Test
  void resume_afterACrashAtEachChange_restoresWithTheFirstRunsKey() throws IOException {
    BackupOptions journalled =
        encrypted()
            .transfer(TransferSettings.builder().parallelism(1).build())
            .backupId("r")
            .journalEvery(1)
            .build();
    CrashingObjectStore counting =
        new CrashingObjectStore(new InMemoryObjectStore(), Long.MAX_VALUE);
    BackupPlan.core(NODE).withOptions(journalled).execute(live, counting);
    SortedMap<ObjectKey, byte[]> state =
        expected(
            live,
            BackupRepository.of(counting, BackupKeys.of(key))
                .readManifest(BackupId.of("r"), 1_000_000)
                .orElseThrow());
    int resumed = 0;
    for (long crashAt = 2; crashAt < counting.changes(); crashAt += 3) {
      InMemoryObjectStore store = new InMemoryObjectStore();
      try {
        BackupPlan.core(NODE)
            .withOptions(journalled)
            .execute(live, new CrashingObjectStore(store, crashAt));
        continue;
      } catch (IOException e) {
        // crashed: resume below
      }
      CrashingObjectStore.breakLeases(store);
      if (crashAt > 2) {
        assertThatThrownBy(
                () ->
                    BackupPlan.core(NODE)
                        .withOptions(BackupOptions.builder().resume("r").build())
                        .execute(live, store))
            .as("crash at %s: resumed without the key", crashAt)
            .isInstanceOfAny(ResumeNotPossibleException.class, EncryptionKeyException.class)
            .hasMessageContaining("encrypted");
      }
      BackupPlan.core(NODE).withOptions(encrypted().resume("r").build()).execute(live, store);
      resumed++;
      assertRestores(store, "r", state);
      assertThat(
              StoreKeys.under(store, KeyPrefix.of("r")).stream()
                  .filter(k -> !BackupRepository.isRecord(k.relativeTo(KeyPrefix.of("r")))))
          .allSatisfy(k -> assertThat(k.toString()).endsWith(".enc"));
    }
    assertThat(resumed).as("crashes resumed").isGreaterThan(3);
  }

  @Test
  void prune_withTheKey_keepsWhatKeptBackupsReuseAndTheirKey_withoutIt_refuses()
      throws IOException {
    backup("a", encrypted());
    SortedMap<ObjectKey, byte[]> state = expected(live, manifest("a"));
    backup("b", encrypted());

    assertThatThrownBy(() -> Prune.of(RetentionPolicy.keepLast(1)).execute(backups))
        .isInstanceOf(UnreadableBackupsException.class);

    Prune.of(RetentionPolicy.keepLast(1)).keys(key).execute(backups);

    assertThat(backups.bytes(ObjectKey.of("a/manifest.json"))).isEmpty();
    assertThat(backups.bytes(ObjectKey.of("a/key.json")))
        .as("a's data key stays while b reuses a's copies")
        .isPresent();
    assertRestores(backups, "b", state);
  }

  @Test
  void keyRotation_rewrapsEveryEncryptedBackup_onceAndForAll() throws IOException {
    backup("a", encrypted());
    SortedMap<ObjectKey, byte[]> state = expected(live, manifest("a"));
    backup("b", encrypted());
    backup("p", BackupOptions.builder());
    byte[] objectBefore = bytes(backups, walEntry(manifest("a")).storedKey("a").toString());
    LocalKey next = LocalKey.generate();

    KeyRotation.Result first = KeyRotation.of(key, next).execute(backups);
    KeyRotation.Result again = KeyRotation.of(key, next).execute(backups);

    assertThat(first.rotated()).containsExactly("a", "b");
    assertThat(first.unencrypted()).containsExactly("p");
    assertThat(again.rotated()).isEmpty();
    assertThat(again.alreadyRotated()).containsExactly("a", "b");
    assertThat(new String(bytes(backups, "a/key.json"), java.nio.charset.StandardCharsets.UTF_8))
        .contains(next.id())
        .doesNotContain(key.id());
    assertThat(bytes(backups, walEntry(manifest("a", next)).storedKey("a").toString()))
        .as("no object is rewritten")
        .isEqualTo(objectBefore);
    assertThatThrownBy(() -> restoreWith("b", key).execute(backups, new InMemoryObjectStore()))
        .isInstanceOf(EncryptionKeyException.class);
    InMemoryObjectStore target = new InMemoryObjectStore();
    restoreWith("b", next).execute(backups, target);
    for (Map.Entry<ObjectKey, byte[]> object : state.entrySet()) {
      assertThat(target.bytes(object.getKey())).hasValue(object.getValue());
    }
    BackupResult c =
        BackupPlan.core(NODE)
            .withOptions(BackupOptions.builder().backupId("c").encryption(next).build())
            .execute(live, backups);
    assertThat(c.objects())
        .as("the chain goes on under the new key")
        .allSatisfy(o -> assertThat(o.reused()).isTrue());
  }

  private BackupManifest manifest(String id, LocalKey kek) throws IOException {
    return BackupRepository.of(backups, BackupKeys.of(kek))
        .readManifest(BackupId.of(id), 1_000_000)
        .orElseThrow();
  }

  private static ManifestEntry walEntry(BackupManifest manifest) {
    return manifest.entries().stream()
        .filter(e -> e.kind() == ObjectKind.WAL)
        .findFirst()
        .orElseThrow();
  }

  /** A store that, like a file system, reports no checksums. */
  private static final class NoChecksums extends ForwardingObjectStore {
    NoChecksums(ObjectStore delegate) {
      super(delegate);
    }

    @Override
    public StoreCapabilities capabilities() {
      return new StoreCapabilities(ImmutableSet.of(), ImmutableSet.of(), false);
    }

    @Override
    public ObjectIterator list(KeyPrefix prefix) throws IOException {
      List<ObjectInfo> stripped = new ArrayList<>();
      try (ObjectIterator listing = super.list(prefix)) {
        while (listing.hasNext()) {
          stripped.add(strip(listing.next()));
        }
      }
      return ObjectIterator.of(stripped);
    }

    @Override
    public Optional<ObjectInfo> stat(ObjectKey key) throws IOException {
      return super.stat(key).map(NoChecksums::strip);
    }

    private static ObjectInfo strip(ObjectInfo info) {
      return new ObjectInfo(
          info.key(), info.size(), info.lastModified(), info.etag(), ImmutableSet.of());
    }
  }
}
