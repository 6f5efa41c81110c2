package io.influxbak.store.gcs;

import static io.influxbak.backup.testing.RestoreCheck.expected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import io.influxbak.store.Checksum;
import io.influxbak.store.ChecksumAlgorithm;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.WriteMode;
import io.influxbak.store.fs.FileSystemObjectStore;
import io.influxbak.store.gcs.testing.FakeGcsServer;
import io.influxbak.store.gcs.testing.GcsTestServer;
import io.influxbak.verify.BackupVerifier;
import io.influxbak.verify.VerifyReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Backup, verify and restore on the GCS test server, within one bucket (rewrites, counted at the
 * server) and across stores (GCS to file system, file system to GCS), on a node a simulated server
 * wrote.
 */
class GcsBackupEndToEndTest {
  private static final NodeId NODE = NodeId.of("node0");
  private static final List<Step> HISTORY = BackupScenarios.HISTORY;

  private final FakeGcsServer server = GcsTestServer.server();
  private final GcsObjectStore store =
      GcsObjectStore.owning(
          GcsStoreProvider.client(GcsTestServer.properties()),
          GcsTestServer.newBucket(),
          KeyPrefix.ROOT,
          new GcsTransferSizes(1 << 20, 256 << 10, 1));
  private final Path work = Files.createTempDirectory("influxbak-gcs-e2e");

  GcsBackupEndToEndTest() throws IOException {}

  @AfterEach
  void close() throws IOException {
    store.close();
    PathUtils.deleteDirectory(work);
    assertThat(server.unserved()).as("requests the test server does not model").isEmpty();
  }

  /**
   * Node data through the client: uploads, or Parquet downloads (the check of what a backup copied
   * reads its snapshots, WAL and catalog back; never a Parquet file).
   */
  private long nodeBytes(boolean upload) {
    return server.transfers().stream()
        .filter(t -> t.upload() == upload && t.name().contains(NODE + "/"))
        .filter(t -> upload || t.name().endsWith(".parquet"))
        .mapToLong(FakeGcsServer.Transfer::bytes)
        .sum();
  }

  @Test
  void sameBucketBackup_unpinned_rewritesMoveNoDataThroughTheClient() throws IOException {
    SimulatedCoreServer simulated = new SimulatedCoreServer(store, NODE, CatalogGeneration.V3, 3);
    simulated.queue(HISTORY);
    simulated.drain();
    server.resetCounts();

    BackupResult result =
        BackupPlan.core(NODE)
            .withOptions(BackupOptions.builder().backupId("b").withoutPinning().build())
            .execute(store);

    assertThat(nodeBytes(true)).as("object bytes uploaded").isZero();
    assertThat(nodeBytes(false)).as("Parquet bytes downloaded").isZero();
    assertThat(server.requests().stream().filter(r -> r.contains("/rewriteTo/")))
        .hasSizeGreaterThanOrEqualTo((int) result.objectCount());
    assertThat(result.objects()).allSatisfy(o -> assertThat(o.crc32c()).isPresent());
    assertVerifiesWithoutDownloads("b");
  }

  @Test
  void sameBucketBackup_pinned_thenRestoreToTheFileSystem() throws IOException {
    SimulatedCoreServer simulated = new SimulatedCoreServer(store, NODE, CatalogGeneration.V2, 5);
    simulated.queue(HISTORY);
    simulated.drain();
    server.resetCounts();

    BackupPlan.core(NODE).withOptions(BackupOptions.builder().backupId("p").build()).execute(store);

    assertThat(nodeBytes(true)).isZero();
    assertThat(
            server.transfers().stream()
                .filter(
                    t ->
                        !t.upload()
                            && t.name().contains(NODE + "/")
                            && !t.name().contains("p/" + NODE + "/"))) // the backup's source check
        .allMatch(
            t ->
                t.name().contains("/snapshots/")
                    || t.name().contains("/db-indices/")
                    || t.name().contains("table-index-conversion-completed"));
    SortedMap<ObjectKey, byte[]> state =
        expected(
            store,
            BackupRepository.of(store).readManifest(BackupId.of("p"), 1_000_000).orElseThrow());
    assertVerifiesWithoutDownloads("p");
    assertThat(BackupVerifier.deep(store, "p", 4).passed()).isTrue();
    Path restoredDir = Files.createDirectory(work.resolve("restored"));
    try (FileSystemObjectStore restored = FileSystemObjectStore.open(restoredDir)) {
      RestorePlan.of("p").execute(store, restored); // GCS -> file system
    }
    for (Map.Entry<ObjectKey, byte[]> object : state.entrySet()) {
      assertThat(Files.readAllBytes(restoredDir.resolve(object.getKey().toString())))
          .isEqualTo(object.getValue());
    }
  }

  @Test
  void fileSystemToGcs_incrementalAfterCompressed_restoresByteForByte() throws IOException {
    try (FileSystemObjectStore data =
        FileSystemObjectStore.open(Files.createDirectory(work.resolve("data")))) {
      BackupScenarios.incrementalAfterCompressed(
          data, store, NODE, this::assertVerifiesWithoutDownloads);
    }
  }

  /** Encrypted copies stream to the GCS test server, their CRC32C checked by it. */
  @Test
  void fileSystemToGcs_encrypted_storesCiphertextAndRestoresWithItsKey() throws IOException {
    try (FileSystemObjectStore data =
        FileSystemObjectStore.open(Files.createDirectory(work.resolve("data")))) {
      BackupScenarios.encrypted(data, store, NODE);
    }
  }

  @Test
  void largeObjects_resumableUploadAndRewriteLoop_keepTheirCrc32c() throws IOException {
    byte[] bytes = new byte[(3 << 20) + 17];
    new Random(9).nextBytes(bytes);
    server.resetCounts();

    store.write(ObjectKey.of("big"), ObjectContent.ofBytes(bytes), WriteMode.CREATE_NEW);
    var copied = store.copy(ObjectKey.of("big"), ObjectKey.of("big-copy"), WriteMode.CREATE_NEW);

    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(bytes);
    assertThat(copied.checksum(ChecksumAlgorithm.CRC32C)).hasValue(Checksum.crc32c(crc.getValue()));
    assertThat(
            server.requests().stream()
                .filter(r -> r.startsWith("PUT /upload/") && r.contains("upload_id")))
        .hasSizeGreaterThan(1);
    assertThat(
            server.requests().stream()
                .filter(r -> r.contains("/rewriteTo/") && r.contains("rewriteToken=")))
        .hasSizeGreaterThanOrEqualTo(3);
    assertThat(server.transfers().stream().filter(t -> t.name().equals("big-copy"))).isEmpty();
  }

  @Test
  void knownCrc32cThatDiffers_refusedAndNothingPublished() throws IOException {
    byte[] small = "small object".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] large = new byte[(2 << 20) + 1];
    for (byte[] bytes : List.of(small, large)) {
      ObjectContent lying =
          ObjectContent.withChecksums(ObjectContent.ofBytes(bytes), Set.of(Checksum.crc32c(42)));
      String name = "liar-" + bytes.length;
      assertThatThrownBy(() -> store.write(ObjectKey.of(name), lying, WriteMode.CREATE_NEW))
          .isInstanceOf(IOException.class)
          .hasMessageContaining(name);
      assertThat(store.stat(ObjectKey.of(name))).as("nothing published for %s", name).isEmpty();
    }
    assertThat(server.transfers().stream().filter(t -> t.name().equals("liar-" + small.length)))
        .as("a small one is refused before it is sent")
        .isEmpty();
  }

  @Test
  void resumableUpload_contentShorterThanDeclared_publishesNothing() {
    byte[] bytes = new byte[(2 << 20) + 5];
    ObjectContent shorter =
        new ObjectContent() {
          @Override
          public long length() {
            return bytes.length + 1000;
          }

          @Override
          public java.io.InputStream openStream() {
            return new java.io.ByteArrayInputStream(bytes);
          }
        };

    assertThatThrownBy(() -> store.write(ObjectKey.of("short"), shorter, WriteMode.CREATE_NEW))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("short");
    assertThat(server.transfers().stream().filter(t -> t.name().equals("short")))
        .as("chunks were sent")
        .isNotEmpty();
    assertThat(server.requests()).noneMatch(r -> r.contains("/o/short"));
    try {
      assertThat(store.stat(ObjectKey.of("short")))
          .as("but the upload was never finalized")
          .isEmpty();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Shallow verify reads the manifest and nothing else: sizes and CRC32C come with the listing. */
  private void assertVerifiesWithoutDownloads(String backupId) throws IOException {
    server.resetCounts();
    VerifyReport report = BackupVerifier.shallow(store, backupId);
    assertThat(report.passed()).as(report.findings().toString()).isTrue();
    assertThat(server.transfers()).allMatch(t -> t.name().endsWith("/manifest.json"));
  }
}
