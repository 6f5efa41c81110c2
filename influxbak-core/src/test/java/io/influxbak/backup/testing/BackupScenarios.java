package io.influxbak.backup.testing;

import static io.influxbak.backup.testing.RestoreCheck.assertRestores;
import static io.influxbak.backup.testing.RestoreCheck.expected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.backup.BackupResult;
import io.influxbak.encryption.BackupKeys;
import io.influxbak.encryption.EncryptionKeyException;
import io.influxbak.encryption.KeyEncryptionKey;
import io.influxbak.encryption.LocalKey;
import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.testing.SimulatedCoreServer;
import io.influxbak.layout.testing.SimulatedCoreServer.Step;
import io.influxbak.manifest.BackupManifest;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupRepository;
import io.influxbak.restore.RestoreOptions;
import io.influxbak.restore.RestorePlan;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.testing.InMemoryObjectStore;
import io.influxbak.store.testing.StoreKeys;
import io.influxbak.transfer.Compression;
import io.influxbak.transfer.TransferSettings;
import io.influxbak.verify.BackupVerifier;
import io.influxbak.verify.VerifyReport;
import java.io.IOException;
import java.util.List;

/** Whole-backup scenarios every store adapter runs against its test server. */
public final class BackupScenarios {
  /** A server history with snapshots, derived objects and a catalog checkpoint. */
  public static final List<Step> HISTORY =
      List.of(
          Step.WRITE,
          Step.SNAPSHOT,
          Step.WRITE,
          Step.SNAPSHOT,
          Step.SPLIT_SNAPSHOTS,
          Step.MERGE_INDEXES,
          Step.WRITE,
          Step.CATALOG_CHECKPOINT,
          Step.WRITE);

  private BackupScenarios() {}

  /** What a scenario checks on top: for example, that a shallow verify read no object data. */
  @FunctionalInterface
  public interface BackupCheck {
    /** Checks {@code backupId} in the backup store. */
    void check(String backupId) throws IOException;
  }

  /**
   * A simulated node in {@code data}; a gzip backup of it into {@code backups}; more server
   * activity; an incremental backup that must reuse objects of the first. Both must pass {@code
   * check}, deep verify, and restore byte for byte to what the node held when each completed.
   *
   * @return the incremental backup's manifest, for the caller's own assertions
   */
  public static BackupManifest incrementalAfterCompressed(
      ObjectStore data, ObjectStore backups, NodeId node, BackupCheck check) throws IOException {
    SimulatedCoreServer server = new SimulatedCoreServer(data, node, CatalogGeneration.V3, 6);
    server.queue(HISTORY);
    server.drain();
    BackupPlan.core(node)
        .withOptions(BackupOptions.builder().backupId("f1").compression(Compression.gzip()).build())
        .execute(data, backups);
    var first =
        expected(
            data,
            BackupRepository.of(backups).readManifest(BackupId.of("f1"), 1_000_000).orElseThrow());
    server.queue(List.of(Step.WRITE, Step.SNAPSHOT, Step.WRITE));
    server.drain();

    BackupResult second =
        BackupPlan.core(node)
            .withOptions(BackupOptions.builder().backupId("f2").build())
            .execute(data, backups);

    BackupManifest manifest =
        BackupRepository.of(backups).readManifest(BackupId.of("f2"), 1_000_000).orElseThrow();
    assertThat(second.reusedObjectCount()).isPositive();
    check.check("f1");
    check.check("f2");
    for (String id : List.of("f1", "f2")) {
      VerifyReport deep = BackupVerifier.deep(backups, id, 4);
      assertThat(deep.passed()).as(deep.findings().toString()).isTrue();
    }
    assertRestores(backups, "f2", expected(data, manifest));
    assertRestores(backups, "f1", first);
    return manifest;
  }

  /**
   * A simulated node in {@code data}; an encrypted, gzip backup of it into {@code backups} under a
   * new local key; more server activity; an encrypted incremental that must reuse the first's
   * copies. Both must store nothing but ciphertext under the node, pass a shallow and a deep verify
   * with the key, refuse a restore without it, and restore byte for byte with it.
   */
  public static void encrypted(ObjectStore data, ObjectStore backups, NodeId node)
      throws IOException {
    LocalKey key = LocalKey.generate();
    encrypted(data, backups, node, key, key);
  }

  /**
   * Like {@link #encrypted(ObjectStore, ObjectStore, NodeId)}, with the backups written under
   * {@code key} and every read (verify, restore) made with {@code reopened}, the same key opened
   * again (a key service's key through a new client).
   */
  public static void encrypted(
      ObjectStore data,
      ObjectStore backups,
      NodeId node,
      KeyEncryptionKey key,
      KeyEncryptionKey reopened)
      throws IOException {
    SimulatedCoreServer server = new SimulatedCoreServer(data, node, CatalogGeneration.V3, 8);
    server.queue(HISTORY);
    server.drain();
    BackupKeys keys = BackupKeys.of(reopened);
    BackupPlan.core(node)
        .withOptions(
            BackupOptions.builder()
                .backupId("e1")
                .compression(Compression.gzip())
                .encryption(key)
                .build())
        .execute(data, backups);
    var first =
        expected(
            data,
            BackupRepository.of(backups, keys)
                .readManifest(BackupId.of("e1"), 1_000_000)
                .orElseThrow());
    server.queue(List.of(Step.WRITE, Step.SNAPSHOT, Step.WRITE));
    server.drain();
    BackupResult second =
        BackupPlan.core(node)
            .withOptions(BackupOptions.builder().backupId("e2").encryption(key).build())
            .execute(data, backups);
    assertThat(second.reusedObjectCount()).isPositive();
    BackupManifest manifest =
        BackupRepository.of(backups, keys).readManifest(BackupId.of("e2"), 1_000_000).orElseThrow();
    for (String id : List.of("e1", "e2")) {
      assertThat(StoreKeys.under(backups, KeyPrefix.of(id).resolvePrefix(node + "/")))
          .isNotEmpty()
          .allSatisfy(k -> assertThat(k.toString()).endsWith(".enc"));
      VerifyReport shallow =
          BackupVerifier.shallow(backups, BackupId.of(id), TransferSettings.defaults(), keys);
      assertThat(shallow.passed()).as(shallow.findings().toString()).isTrue();
      VerifyReport deep =
          BackupVerifier.deep(backups, BackupId.of(id), TransferSettings.defaults(), keys);
      assertThat(deep.passed()).as(deep.findings().toString()).isTrue();
    }
    InMemoryObjectStore nowhere = new InMemoryObjectStore();
    assertThatThrownBy(() -> RestorePlan.of("e2").execute(backups, nowhere))
        .isInstanceOf(EncryptionKeyException.class);
    assertThat(StoreKeys.under(nowhere, KeyPrefix.ROOT)).isEmpty();
    assertRestores(
        backups, "e2", expected(data, manifest), RestoreOptions.builder().keys(reopened).build());
    assertRestores(backups, "e1", first, RestoreOptions.builder().keys(reopened).build());
  }
}
