package io.influxbak.backup.testing;

import static io.influxbak.backup.testing.RestoreCheck.assertRestores;
import static io.influxbak.backup.testing.RestoreCheck.expected;
import static org.assertj.core.api.Assertions.assertThat;

import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.backup.BackupResult;
import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.testing.SimulatedCoreServer;
import io.influxbak.layout.testing.SimulatedCoreServer.Step;
import io.influxbak.manifest.BackupManifest;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupRepository;
import io.influxbak.store.ObjectStore;
import io.influxbak.transfer.Compression;
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
}
