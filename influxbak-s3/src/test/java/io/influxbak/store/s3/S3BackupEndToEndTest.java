package io.influxbak.store.s3;

import static io.influxbak.backup.testing.RestoreCheck.assertRestores;
import static io.influxbak.backup.testing.RestoreCheck.expected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.collect.ImmutableMap;
import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.backup.BackupResult;
import io.influxbak.backup.testing.BackupScenarios;
import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.testing.SimulatedCoreServer;
import io.influxbak.layout.testing.SimulatedCoreServer.Step;
import io.influxbak.manifest.BackupManifest;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupRepository;
import io.influxbak.restore.RestorePlan;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.fs.FileSystemObjectStore;
import io.influxbak.store.s3.testing.RequestCounter;
import io.influxbak.store.s3.testing.S3TestServers;
import io.influxbak.verify.BackupVerifier;
import io.influxbak.verify.VerifyReport;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Backup, verify and restore on S3Mock, within one bucket (server-side copies, counted at the
 * client) and across stores (file system to S3, S3 to file system), on a node a simulated server
 * wrote.
 */
class S3BackupEndToEndTest {
  private static final NodeId NODE = NodeId.of("node0");
  private static final List<Step> HISTORY = BackupScenarios.HISTORY;

  private final RequestCounter counter = new RequestCounter();
  private final Map<String, String> properties = S3TestServers.s3mockProperties();
  private final S3ObjectStore store =
      S3ObjectStore.owning(
              S3StoreProvider.clientBuilder(properties)
                  .overrideConfiguration(c -> c.addExecutionInterceptor(counter))
                  .build(),
              S3TestServers.newBucket(properties),
              KeyPrefix.ROOT,
              S3TransferSizes.DEFAULT)
          .withoutConditionalCopyObject();
  private final Path work = Files.createTempDirectory("influxbak-s3-e2e");

  S3BackupEndToEndTest() throws IOException {}

  @AfterEach
  void close() throws IOException {
    store.close();
    PathUtils.deleteDirectory(work);
  }

  private static boolean inBackup(RequestCounter.Request request, String backupId) {
    return ("/" + request.key()).contains("/" + backupId + "/" + NODE + "/");
  }

  private static boolean nodeData(RequestCounter.Request request) {
    return request.key().contains("/" + NODE + "/");
  }

  /**
   * Object bytes sent: bodies of PutObject and UploadPart (other requests' bodies are XML part
   * lists).
   */
  private long objectBytesSent() {
    return counter.requests().stream()
        .filter(S3BackupEndToEndTest::nodeData)
        .filter(r -> r.operation().equals("PutObject") || r.operation().equals("UploadPart"))
        .mapToLong(RequestCounter.Request::sent)
        .sum();
  }

  @Test
  void sameBucketBackup_unpinned_noParquetDataPassesTheClient() throws IOException {
    SimulatedCoreServer server = new SimulatedCoreServer(store, NODE, CatalogGeneration.V3, 3);
    server.queue(HISTORY);
    server.drain();
    SimulatedCoreServer other =
        new SimulatedCoreServer(store, NodeId.of("node1"), CatalogGeneration.V2, 4);
    other.queue(HISTORY);
    other.drain();
    counter.reset();

    BackupResult result =
        BackupPlan.core(NODE)
            .withOptions(BackupOptions.builder().backupId("b").withoutPinning().build())
            .execute(store);

    // Copies are server-side; the only object data read is the consistency check of what was
    // copied (snapshots, WAL, catalog), read back from the backup: never a Parquet file.
    long down =
        counter.requests().stream()
            .filter(S3BackupEndToEndTest::nodeData)
            .filter(r -> r.key().endsWith(".parquet"))
            .mapToLong(RequestCounter.Request::received)
            .sum();
    long up = objectBytesSent();
    assertThat(down).as("Parquet bytes downloaded").isZero();
    assertThat(counter.of("GetObject").stream().filter(S3BackupEndToEndTest::nodeData))
        .as("reads of node data: the backup's own copies, for its source check")
        .allMatch(r -> inBackup(r, "b"));
    assertThat(up).as("object bytes uploaded").isZero();
    assertThat(counter.of("CopyObject").size() + counter.of("UploadPartCopy").size())
        .isEqualTo((int) result.objectCount());
    assertThat(result.objects())
        .allSatisfy(
            o -> assertThat(o.crc32c()).as("S3's CRC32C of the copy of %s", o.key()).isPresent());
    assertVerifiesWithoutDownloads("b");
  }

  @Test
  void sameBucketBackup_pinned_readsOnlySnapshotsAndIndexesToPlan() throws IOException {
    SimulatedCoreServer server = new SimulatedCoreServer(store, NODE, CatalogGeneration.V3, 5);
    server.queue(HISTORY);
    server.drain();
    counter.reset();

    BackupResult result =
        BackupPlan.core(NODE)
            .withOptions(BackupOptions.builder().backupId("p").build())
            .execute(store);

    assertThat(objectBytesSent()).isZero();
    // Pinning reads the snapshot files (and table indexes) to know the live set; no other source
    // object is read. The check of what was copied reads the backup's copies, never a Parquet file.
    assertThat(counter.of("GetObject").stream().filter(S3BackupEndToEndTest::nodeData))
        .filteredOn(r -> inBackup(r, "p"))
        .isNotEmpty()
        .noneMatch(r -> r.key().endsWith(".parquet"));
    assertThat(counter.of("GetObject").stream().filter(S3BackupEndToEndTest::nodeData))
        .filteredOn(r -> !inBackup(r, "p"))
        .allMatch(
            r ->
                r.key().contains("/snapshots/")
                    || r.key().contains("/db-indices/")
                    || r.key().contains("table-index-conversion-completed"));
    assertThat(result.consistencyPoints()).hasSize(1);
    SortedMap<io.influxbak.store.ObjectKey, byte[]> state =
        expected(
            store,
            BackupRepository.of(store).readManifest(BackupId.of("p"), 1_000_000).orElseThrow());
    assertVerifiesWithoutDownloads("p");
    assertThat(BackupVerifier.deep(store, "p", 4).passed()).isTrue();
    try (FileSystemObjectStore restored =
        FileSystemObjectStore.open(Files.createDirectory(work.resolve("restored")))) {
      assertRestores(store, "p", state); // into memory, byte for byte
      RestorePlan.of("p").execute(store, restored); // S3 -> file system
      for (Map.Entry<io.influxbak.store.ObjectKey, byte[]> object : state.entrySet()) {
        assertThat(Files.readAllBytes(work.resolve("restored").resolve(object.getKey().toString())))
            .isEqualTo(object.getValue());
      }
    }
  }

  @Test
  void fileSystemToS3_incrementalAfterCompressed_restoresByteForByte() throws IOException {
    try (FileSystemObjectStore data =
        FileSystemObjectStore.open(Files.createDirectory(work.resolve("data")))) {
      counter.reset();
      BackupManifest manifest =
          BackupScenarios.incrementalAfterCompressed(
              data, store, NODE, this::assertVerifiesWithoutDownloads);
      // The reused objects were not uploaded again by the incremental backup.
      List<ManifestEntry> reused =
          manifest.entries().stream().filter(e -> e.stored().backupId().isPresent()).toList();
      assertThat(reused)
          .isNotEmpty()
          .allSatisfy(e -> assertThat(e.storedKey("f2").toString()).startsWith("f1/"));
      assertThat(
              counter.of("PutObject").stream().filter(r -> r.key().contains("/f2/" + NODE + "/")))
          .noneMatch(r -> reused.stream().anyMatch(e -> r.key().endsWith(e.key().toString())));
    }
  }

  /**
   * Encrypted copies stream to S3Mock in one PutObject each, their CRC32C checked by the server.
   */
  @Test
  void fileSystemToS3_encrypted_storesCiphertextAndRestoresWithItsKey() throws IOException {
    try (FileSystemObjectStore data =
        FileSystemObjectStore.open(Files.createDirectory(work.resolve("data")))) {
      BackupScenarios.encrypted(data, store, NODE);
    }
  }

  @Test
  void wrongSecret_onASignatureCheckingServer_accessDeniedWithoutTheSecret() throws IOException {
    String secret = "wr0ng-S3CRET-do-not-print";
    Map<String, String> wrong =
        ImmutableMap.of(
            "s3.endpoint",
            S3TestServers.s3proxy().endpoint(),
            "s3.access-key-id",
            S3TestServers.PROXY_IDENTITY,
            "s3.secret-access-key",
            secret);
    try (io.influxbak.store.ObjectStore denied =
        new S3StoreProvider().open(java.net.URI.create("s3://some-bucket/prefix"), wrong)) {
      assertThatThrownBy(
              () -> denied.stat(io.influxbak.store.ObjectKey.of("node0/wal/00000000001.wal")))
          .isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining("node0/wal/00000000001.wal")
          .hasMessageContaining("access denied")
          .satisfies(
              e ->
                  assertThat(com.google.common.base.Throwables.getStackTraceAsString(e))
                      .doesNotContain(secret));
      assertThat(denied.id().toString())
          .isEqualTo("s3://some-bucket/prefix/")
          .doesNotContain(secret);
      assertThat(denied.toString()).doesNotContain(secret);
    }
  }

  /**
   * Shallow verify reads the manifest and nothing else: sizes from the listing, CRC32C from HEAD.
   */
  private void assertVerifiesWithoutDownloads(String backupId) throws IOException {
    counter.reset();
    VerifyReport report = BackupVerifier.shallow(store, backupId);
    assertThat(report.passed()).as(report.findings().toString()).isTrue();
    assertThat(counter.of("GetObject"))
        .extracting(RequestCounter.Request::key)
        .allMatch(k -> k.endsWith("/manifest.json"));
  }
}
