package io.influxbak.examples;

import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.backup.BackupResult;
import io.influxbak.backup.RetentionLock;
import io.influxbak.encryption.BackupKeys;
import io.influxbak.encryption.KeyEncryptionKey;
import io.influxbak.encryption.KeyEncryptionKeys;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupRepository;
import io.influxbak.restore.RestoreOptions;
import io.influxbak.restore.RestorePlan;
import io.influxbak.restore.RestoreResult;
import io.influxbak.retention.Prune;
import io.influxbak.retention.PruneResult;
import io.influxbak.retention.RetentionPolicy;
import io.influxbak.store.ObjectLock;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.ObjectStores;
import io.influxbak.store.StoreLocation;
import io.influxbak.task.CopyEngine;
import io.influxbak.task.CopyTask;
import io.influxbak.task.TaskReport;
import io.influxbak.transfer.Compression;
import io.influxbak.transfer.TransferSettings;
import io.influxbak.verify.BackupVerifier;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Every Java snippet the README shows, verbatim, so that the build compiles them: {@code
 * ReadmeSnippetsTest} fails when a README snippet is not found here (whitespace aside).
 */
public final class ReadmeSnippets {
  private ReadmeSnippets() {}

  /** README, "Programmatic use". */
  static void programmaticUse() throws IOException {
    // README snippet begins
    try (ObjectStore data = ObjectStores.open(URI.create("file:///var/lib/influxdb3"));
        ObjectStore backups = ObjectStores.open(URI.create("file:///mnt/backups"));
        ObjectStore restoredStore = ObjectStores.open(URI.create("file:///srv/restored"))) {
      BackupResult backup = BackupPlan.core("node0").execute(data, backups); // two stores
      System.out.printf(
          "%s: %d objects, %d bytes%n",
          backup.backupId(), backup.objectCount(), backup.byteCount());

      RestoreResult restore = RestorePlan.of(backup.backupId()).execute(backups, restoredStore);
    }
    // One store: BackupPlan.core("node0").execute(store) backs up inside the same store.

    // From S3 into GCS, compressed, incremental against the newest backup there; then retention.
    try (ObjectStore data =
            ObjectStores.open(URI.create("s3://influx-data"), Map.of("s3.region", "eu-west-1"));
        ObjectStore backups = ObjectStores.open(URI.create("gs://influx-backups/prod"), Map.of())) {
      BackupPlan.core("node0")
          .withOptions(BackupOptions.builder().compression(Compression.gzip()).build())
          .execute(data, backups);
      Prune.of(RetentionPolicy.keepLast(7).daily(14).monthly(12)).execute(backups);
    }
    // README snippet ends
  }

  /** README, "Enterprise clusters". */
  static void enterpriseClusters(ObjectStore data, ObjectStore backups, ObjectStore target)
      throws IOException {
    // README snippet begins
    BackupResult result =
        BackupPlan.enterprise("cluster0")
            .nodes("data0", "data1")
            .compactor("compactor0")
            .execute(data, backups);

    RestorePlan.of(result.backupId())
        .enterprise("cluster0", "compactor0")
        .withOptions(
            RestoreOptions.builder().withoutLicenses().build()) // or acceptLicenseRelocation()
        .execute(backups, target);
    // README snippet ends
  }

  /** docs/encryption.md, "Using it". */
  static void encryptedBackups(
      String nodeId, ObjectStore source, ObjectStore backups, ObjectStore target, String backupId)
      throws IOException {
    // README snippet begins
    KeyEncryptionKey key = KeyEncryptionKeys.open("file:/etc/influxbak/backup.key");
    BackupPlan.core(nodeId)
        .withOptions(BackupOptions.builder().encryption(key).build())
        .execute(source, backups);
    RestorePlan.of(backupId)
        .withOptions(RestoreOptions.builder().keys(key).build())
        .execute(backups, target);
    BackupVerifier.deep(
        backups, BackupId.of(backupId), TransferSettings.defaults(), BackupKeys.of(key));
    Prune.of(RetentionPolicy.keepLast(7)).keys(key).execute(backups);
    BackupRepository.of(backups, BackupKeys.of(key)).list();
    // README snippet ends
  }

  static Optional<ObjectLock> lockedBackups(
      String nodeId, ObjectStore source, ObjectStore backups, String backupId) throws IOException {
    // README snippet begins
    RetentionPolicy policy = RetentionPolicy.keepDaily(7).weekly(4);
    RetentionLock lock =
        new RetentionLock(ObjectLock.Mode.GOVERNANCE, policy.longestKeep(Duration.ofDays(1)));
    BackupPlan.core(nodeId)
        .withOptions(BackupOptions.builder().lock(lock).build())
        .execute(source, backups);
    PruneResult pruned = Prune.of(policy).execute(backups);
    pruned
        .locked()
        .forEach((id, held) -> System.out.println(id + " stays until " + held.retainUntil()));
    Optional<ObjectLock> earliest = BackupVerifier.shallow(backups, backupId).lock();
    // README snippet ends
    return earliest;
  }

  /** docs/spark.md, "Another engine". */
  static BackupResult anotherEngine() throws IOException {
    // README snippet begins
    // An engine on a thread pool of this JVM: what a Beam DoFn or a Flink map function does per
    // task.
    CopyEngine threads =
        tasks -> {
          ExecutorService pool = Executors.newFixedThreadPool(4);
          try {
            List<Future<String>> reports = new ArrayList<>();
            for (CopyTask task : tasks) {
              String shipped = task.encode();
              reports.add(pool.submit(() -> CopyTask.decode(shipped).run(0).encode()));
            }
            List<TaskReport> out = new ArrayList<>();
            for (Future<String> report : reports) {
              out.add(TaskReport.decode(report.get()));
            }
            return out;
          } catch (InterruptedException | ExecutionException e) {
            throw new IOException("a copy task failed", e);
          } finally {
            pool.shutdownNow();
          }
        };
    BackupResult distributed =
        BackupPlan.core("node0")
            .execute(
                StoreLocation.of(Path.of("/var/lib/influxdb3").toUri()),
                StoreLocation.of(Path.of("/backups").toUri()),
                threads);
    // README snippet ends
    return distributed;
  }
}
