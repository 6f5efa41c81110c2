package io.influxbak.examples.crossstore;

import static io.influxbak.backup.testing.RestoreCheck.expected;
import static org.assertj.core.api.Assertions.assertThat;

import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.backup.BackupResult;
import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.testing.SimulatedCoreServer;
import io.influxbak.layout.testing.SimulatedCoreServer.Step;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupRepository;
import io.influxbak.restore.RestorePlan;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.ObjectStores;
import io.influxbak.store.azure.testing.Azurite;
import io.influxbak.store.gcs.testing.GcsTestServer;
import io.influxbak.store.s3.testing.S3TestServers;
import io.influxbak.transfer.Compression;
import io.influxbak.verify.BackupVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Backups from one kind of store into another, every store opened by URI through {@link
 * ObjectStores} as an embedder would: S3 to Azure and back to S3, GCS to the file system and back
 * to GCS. Each runs against the test servers the adapter modules start (S3Mock, Azurite, the GCS
 * JSON API test server).
 */
class CrossStoreBackupTest {
  private static final NodeId NODE = NodeId.of("node0");
  private static final List<Step> HISTORY =
      List.of(
          Step.WRITE,
          Step.SNAPSHOT,
          Step.WRITE,
          Step.SNAPSHOT,
          Step.SPLIT_SNAPSHOTS,
          Step.MERGE_INDEXES,
          Step.WRITE);

  private final Path work = Files.createTempDirectory("influxbak-cross");

  CrossStoreBackupTest() throws IOException {}

  @AfterEach
  void cleanUp() throws IOException {
    PathUtils.deleteDirectory(work);
  }

  private static ObjectStore s3() throws IOException {
    return ObjectStores.open(
        URI.create("s3://" + S3TestServers.newBucket(S3TestServers.s3mockProperties()) + "/data"),
        S3TestServers.s3mockProperties());
  }

  @Test
  void s3ToAzure_incrementalBackupsRestoreBackToANewS3Bucket() throws IOException {
    try (ObjectStore source = s3();
        ObjectStore azure =
            ObjectStores.open(
                URI.create("az://" + Azurite.newContainer() + "/backups"), Azurite.properties());
        ObjectStore target = s3()) {
      SimulatedCoreServer server = new SimulatedCoreServer(source, NODE, CatalogGeneration.V3, 21);
      server.queue(HISTORY);
      server.drain();
      BackupPlan.core(NODE)
          .withOptions(BackupOptions.builder().backupId("first").build())
          .execute(source, azure);
      server.queue(List.of(Step.WRITE, Step.SNAPSHOT, Step.WRITE));
      server.drain();

      BackupResult second =
          BackupPlan.core(NODE)
              .withOptions(
                  BackupOptions.builder()
                      .backupId("second")
                      .compression(Compression.gzip())
                      .build())
              .execute(source, azure);

      SortedMap<ObjectKey, byte[]> state =
          expected(
              source,
              BackupRepository.of(azure)
                  .readManifest(BackupId.of("second"), 1_000_000)
                  .orElseThrow());
      assertThat(second.reusedObjectCount()).isPositive();
      assertThat(BackupVerifier.shallow(azure, "second").passed()).isTrue();
      assertThat(BackupVerifier.deep(azure, "second", 4).passed()).isTrue();
      RestorePlan.of("second").execute(azure, target);
      assertHolds(target, state);
    }
  }

  @Test
  void gcsToFileSystem_thenRestoreToANewGcsBucket() throws IOException {
    Map<String, String> gcs = GcsTestServer.properties();
    try (ObjectStore source =
            ObjectStores.open(URI.create("gs://" + GcsTestServer.newBucket() + "/influxdb"), gcs);
        ObjectStore files =
            ObjectStores.open(Files.createDirectory(work.resolve("backups")).toUri(), Map.of());
        ObjectStore target =
            ObjectStores.open(URI.create("gs://" + GcsTestServer.newBucket()), gcs)) {
      SimulatedCoreServer server = new SimulatedCoreServer(source, NODE, CatalogGeneration.V2, 22);
      server.queue(HISTORY);
      server.drain();

      BackupResult backup = BackupPlan.core(NODE).execute(source, files);

      SortedMap<ObjectKey, byte[]> state =
          expected(
              source,
              BackupRepository.of(files)
                  .readManifest(BackupId.of(backup.backupId()), 1_000_000)
                  .orElseThrow());
      assertThat(BackupVerifier.deep(files, backup.backupId(), 4).passed()).isTrue();
      RestorePlan.of(backup.backupId()).execute(files, target);
      assertHolds(target, state);
      assertThat(
              Files.isDirectory(
                  work.resolve("backups")
                      .resolve(backup.backupId())
                      .resolve(NODE.toString())
                      .resolve("snapshots")))
          .isTrue();
    }
  }

  private static void assertHolds(ObjectStore store, Map<ObjectKey, byte[]> expected)
      throws IOException {
    assertThat(io.influxbak.store.testing.StoreKeys.under(store, KeyPrefix.ROOT))
        .containsExactlyInAnyOrderElementsOf(expected.keySet());
    for (Map.Entry<ObjectKey, byte[]> object : expected.entrySet()) {
      try (InputStream in = store.open(object.getKey())) {
        assertThat(in.readAllBytes()).as(object.getKey().toString()).isEqualTo(object.getValue());
      }
    }
  }
}
