package io.influxbak.store.azure;

import static io.influxbak.backup.testing.RestoreCheck.expected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.BlobServiceClient;
import com.google.common.base.Throwables;
import com.google.common.collect.ImmutableMap;
import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.backup.BackupResult;
import io.influxbak.backup.testing.BackupScenarios;
import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.testing.SimulatedCoreServer;
import io.influxbak.layout.testing.SimulatedCoreServer.Step;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupRepository;
import io.influxbak.restore.RestorePlan;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.azure.testing.Azurite;
import io.influxbak.store.azure.testing.RequestRecorder;
import io.influxbak.store.fs.FileSystemObjectStore;
import io.influxbak.verify.BackupVerifier;
import io.influxbak.verify.VerifyReport;
import java.io.IOException;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.netty.resources.ConnectionProvider;

/**
 * Backup, verify and restore on Azurite, within one container (server-side copies, counted at the
 * client) and across stores (file system to Azure, Azure to file system), on a node a simulated
 * server wrote.
 */
class AzureBackupEndToEndTest {
  private static final NodeId NODE = NodeId.of("node0");
  private static final List<Step> HISTORY = BackupScenarios.HISTORY;

  private final RequestRecorder recorder = new RequestRecorder();
  private final ConnectionProvider pool = ConnectionProvider.create("e2e", 32);
  private final AzureBlobObjectStore store;
  private final Path work = Files.createTempDirectory("influxbak-azure-e2e");

  AzureBackupEndToEndTest() throws IOException {
    BlobServiceClient service =
        AzureStoreProvider.serviceClientBuilder(Azurite.properties(), null, pool)
            .addPolicy(recorder)
            .buildClient();
    store = Azurite.newStore(service);
  }

  @AfterEach
  void close() throws IOException {
    pool.dispose();
    PathUtils.deleteDirectory(work);
  }

  /**
   * Node data through the client: Parquet bytes downloaded and object bytes uploaded. (The check of
   * what a backup copied reads its snapshots, WAL and catalog back; never a Parquet file.)
   */
  private long objectBytesThroughTheClient() {
    return recorder.requests().stream()
        .filter(r -> r.path().contains("/" + NODE + "/"))
        .mapToLong(
            r ->
                (r.path().endsWith(".parquet") ? r.received() : 0)
                    + (r.method().equals("PUT") && r.copySource() == null ? r.sent() : 0))
        .sum();
  }

  @Test
  void sameContainerBackup_unpinned_noParquetDataPassesTheClient() throws IOException {
    SimulatedCoreServer server = new SimulatedCoreServer(store, NODE, CatalogGeneration.V3, 3);
    server.queue(HISTORY);
    server.drain();
    recorder.reset();

    BackupResult result =
        BackupPlan.core(NODE)
            .withOptions(BackupOptions.builder().backupId("b").withoutPinning().build())
            .execute(store);

    assertThat(objectBytesThroughTheClient()).isZero();
    assertThat(recorder.requests().stream().filter(r -> r.copySource() != null))
        .hasSize((int) result.objectCount())
        .allSatisfy(r -> assertThat(r.copySource()).contains("sig="));
    assertThat(result.objects())
        .allSatisfy(o -> assertThat(o.crc32c()).as(o.key().toString()).isPresent());
    assertVerifiesWithoutDownloads("b");
  }

  @Test
  void sameContainerBackup_pinned_thenRestoreToTheFileSystem() throws IOException {
    SimulatedCoreServer server = new SimulatedCoreServer(store, NODE, CatalogGeneration.V2, 5);
    server.queue(HISTORY);
    server.drain();
    recorder.reset();

    BackupPlan.core(NODE).withOptions(BackupOptions.builder().backupId("p").build()).execute(store);

    assertThat(
            recorder.requests().stream()
                .filter(
                    r ->
                        r.path().contains("/" + NODE + "/")
                            && !r.path().contains("/p/" + NODE + "/") // the backup's source check
                            && r.method().equals("GET")
                            && r.received() > 0))
        .allMatch(
            r ->
                r.path().contains("/snapshots/")
                    || r.path().contains("/db-indices/")
                    || r.path().contains("table-index-conversion-completed"));
    SortedMap<ObjectKey, byte[]> state =
        expected(
            store,
            BackupRepository.of(store).readManifest(BackupId.of("p"), 1_000_000).orElseThrow());
    assertVerifiesWithoutDownloads("p");
    assertThat(BackupVerifier.deep(store, "p", 4).passed()).isTrue();
    Path restoredDir = Files.createDirectory(work.resolve("restored"));
    try (FileSystemObjectStore restored = FileSystemObjectStore.open(restoredDir)) {
      RestorePlan.of("p").execute(store, restored);
    }
    for (Map.Entry<ObjectKey, byte[]> object : state.entrySet()) {
      assertThat(Files.readAllBytes(restoredDir.resolve(object.getKey().toString())))
          .isEqualTo(object.getValue());
    }
  }

  @Test
  void fileSystemToAzure_incrementalAfterCompressed_restoresByteForByte() throws IOException {
    try (FileSystemObjectStore data =
        FileSystemObjectStore.open(Files.createDirectory(work.resolve("data")))) {
      BackupScenarios.incrementalAfterCompressed(
          data, store, NODE, this::assertVerifiesWithoutDownloads);
    }
  }

  /** Encrypted copies stream to Azurite, each Put Blob with its MD5 checked by it. */
  @Test
  void fileSystemToAzure_encrypted_storesCiphertextAndRestoresWithItsKey() throws IOException {
    try (FileSystemObjectStore data =
        FileSystemObjectStore.open(Files.createDirectory(work.resolve("data")))) {
      BackupScenarios.encrypted(data, store, NODE);
    }
  }

  @Test
  void wrongAccountKey_accessDeniedWithoutTheKey() throws IOException {
    String wrongKey =
        java.util.Base64.getEncoder()
            .encodeToString(
                "not-the-key-do-not-print-0123456789abcdef"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    Map<String, String> wrong =
        ImmutableMap.of(
            "azure.connection-string",
            "DefaultEndpointsProtocol=http;AccountName="
                + Azurite.ACCOUNT
                + ";AccountKey="
                + wrongKey
                + ";BlobEndpoint="
                + Azurite.endpoint()
                + ";");
    try (ObjectStore denied =
        new AzureStoreProvider().open(URI.create("az://some-container/prefix"), wrong)) {
      assertThatThrownBy(() -> denied.stat(ObjectKey.of("node0/wal/00000000001.wal")))
          .isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining("node0/wal/00000000001.wal")
          .satisfies(
              e ->
                  assertThat(Throwables.getStackTraceAsString(e))
                      .doesNotContain(wrongKey)
                      .doesNotContain("sig="));
      assertThat(denied.id().toString()).isEqualTo("az://devstoreaccount1/some-container/prefix/");
      assertThat(denied.toString()).doesNotContain(wrongKey);
    }
  }

  /**
   * Shallow verify reads the manifest and nothing else: sizes from the listing, CRC32C from blob
   * metadata.
   */
  private void assertVerifiesWithoutDownloads(String backupId) throws IOException {
    recorder.reset();
    VerifyReport report = BackupVerifier.shallow(store, backupId);
    assertThat(report.passed()).as(report.findings().toString()).isTrue();
    assertThat(
            recorder.requests().stream().filter(r -> r.method().equals("GET") && r.received() > 0))
        .allMatch(r -> r.path().endsWith("/manifest.json"));
  }
}
