package io.influxbak.spark;

import static io.influxbak.backup.testing.RestoreCheck.expected;
import static org.assertj.core.api.Assertions.assertThat;

import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.backup.BackupResult;
import io.influxbak.backup.testing.BackupScenarios;
import io.influxbak.backup.testing.ManifestObjects;
import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.CopyPhase;
import io.influxbak.layout.CoreLayout;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.testing.EnterpriseClusterArbitraries;
import io.influxbak.layout.testing.GeneratedCluster;
import io.influxbak.layout.testing.SimulatedCoreServer;
import io.influxbak.layout.testing.SimulatedCoreServer.Step;
import io.influxbak.manifest.BackupManifest;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupRepository;
import io.influxbak.restore.RestorePlan;
import io.influxbak.restore.RestoreResult;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.StoreLocation;
import io.influxbak.store.azure.testing.Azurite;
import io.influxbak.store.gcs.testing.GcsTestServer;
import io.influxbak.store.s3.testing.S3TestServers;
import io.influxbak.store.testing.StoreKeys;
import io.influxbak.transfer.Compression;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same backups through Spark ({@code local[2]}, tasks tried up to 3 times) and through {@link
 * BackupPlan#execute(ObjectStore, ObjectStore)}, on the file system and on S3Mock (a Core node also
 * on Azurite, the Azure adapter on Spark's Netty 4.2, and on the GCS test server): the manifests
 * list the same objects with the same hashes, and a restore through Spark is byte-identical.
 */
class SparkBackupTest {
  private static final NodeId NODE = NodeId.of("node0");
  private static JavaSparkContext spark;

  @TempDir Path dir;

  @BeforeAll
  static void startSpark() {
    spark =
        new JavaSparkContext(
            new SparkConf()
                .setMaster("local[2,3]")
                .setAppName("influxbak-spark-test")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1"));
  }

  @AfterAll
  static void stopSpark() {
    spark.close();
  }

  /** Where a scenario's node data, one-process backups, Spark backups and restores live. */
  private record Places(
      StoreLocation data, StoreLocation oneProcess, StoreLocation viaSpark, StoreLocation target) {}

  private Places places(String kind) throws IOException {
    return switch (kind) {
      case "s3" -> {
        Map<String, String> s3 = S3TestServers.s3mockProperties();
        yield inBucket("s3", S3TestServers.newBucket(s3), s3);
      }
      case "azure" -> inBucket("az", Azurite.newContainer(), Azurite.properties());
      case "gcs" -> inBucket("gs", GcsTestServer.newBucket(), GcsTestServer.properties());
      default ->
          new Places(
              directory("data"), directory("one"), directory("spark"), directory("restored"));
    };
  }

  /** The four places under {@code scheme://bucket/}. */
  private static Places inBucket(String scheme, String bucket, Map<String, String> settings) {
    List<StoreLocation> at = new java.util.ArrayList<>();
    for (String prefix : List.of("data", "one", "spark", "restored")) {
      at.add(StoreLocation.of(URI.create(scheme + "://" + bucket + "/" + prefix), settings));
    }
    return new Places(at.get(0), at.get(1), at.get(2), at.get(3));
  }

  private StoreLocation directory(String name) throws IOException {
    return StoreLocation.of(Files.createDirectories(dir.resolve(name)).toUri());
  }

  private static BackupManifest manifest(StoreLocation backups, String id) throws IOException {
    try (ObjectStore store = backups.open()) {
      return BackupRepository.of(store).readManifest(BackupId.of(id), 1_000_000).orElseThrow();
    }
  }

  private static BackupResult oneProcess(BackupPlan plan, Places at) throws IOException {
    try (ObjectStore data = at.data().open();
        ObjectStore backups = at.oneProcess().open()) {
      return plan.execute(data, backups);
    }
  }

  private static BackupResult viaSpark(BackupPlan plan, Places at) throws IOException {
    return plan.execute(at.data(), at.viaSpark(), new SparkCopyEngine(spark));
  }

  /** Backs up with {@code plan} in one process and through Spark; returns Spark's result. */
  private static BackupResult bothWays(BackupPlan plan, Places at) throws IOException {
    oneProcess(plan, at);
    return viaSpark(plan, at);
  }

  private static void assertSameObjects(Places at, String id) throws IOException {
    assertThat(ManifestObjects.lines(manifest(at.viaSpark(), id)))
        .isNotEmpty()
        .doesNotHaveDuplicates()
        .containsExactlyElementsOf(ManifestObjects.lines(manifest(at.oneProcess(), id)));
  }

  private static void serve(StoreLocation data, List<Step> history, long seed) throws IOException {
    try (ObjectStore store = data.open()) {
      SimulatedCoreServer server = new SimulatedCoreServer(store, NODE, CatalogGeneration.V3, seed);
      server.queue(history);
      server.drain();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"file", "s3", "azure", "gcs"})
  void pinnedCoreNode_sameObjectsAsOneProcess_andRestoresByteForByte(String kind)
      throws IOException {
    Places at = places(kind);
    serve(at.data(), BackupScenarios.HISTORY, 21);
    BackupPlan plan =
        BackupPlan.core(NODE).withOptions(BackupOptions.builder().backupId("c1").build());

    BackupResult result = bothWays(plan, at);

    assertThat(result.consistencyPoints()).isNotEmpty();
    assertSameObjects(at, "c1");
    RestoreResult restored =
        RestorePlan.of("c1").execute(at.viaSpark(), at.target(), new SparkCopyEngine(spark));
    assertThat(restored.consistent()).isTrue();
    Map<ObjectKey, byte[]> want;
    try (ObjectStore data = at.data().open()) {
      want = expected(data, manifest(at.viaSpark(), "c1"));
    }
    try (ObjectStore target = at.target().open()) {
      assertThat(StoreKeys.under(target, KeyPrefix.ROOT))
          .containsExactlyInAnyOrderElementsOf(want.keySet());
      for (Map.Entry<ObjectKey, byte[]> object : want.entrySet()) {
        try (InputStream in = target.open(object.getKey())) {
          assertThat(in.readAllBytes()).as("%s", object.getKey()).isEqualTo(object.getValue());
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"file", "s3"})
  void enterpriseCluster_sameObjectsAsOneProcess(String kind) throws IOException {
    Places at = places(kind);
    GeneratedCluster cluster = EnterpriseClusterArbitraries.build(2, true, 1, 33);
    try (ObjectStore data = at.data().open()) {
      cluster.writeTo(data);
    }
    BackupPlan plan =
        BackupPlan.enterprise(cluster.cluster().toString())
            .nodes(cluster.nodes().stream().map(NodeId::toString).toArray(String[]::new))
            .compactor(cluster.compactor().orElseThrow().toString())
            .withOptions(BackupOptions.builder().backupId("e1").build());

    bothWays(plan, at);

    assertSameObjects(at, "e1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"file", "s3"})
  void incrementalAfterGzip_sameObjectsAsOneProcess(String kind) throws IOException {
    Places at = places(kind);
    serve(at.data(), BackupScenarios.HISTORY, 23);
    BackupPlan gzip =
        BackupPlan.core(NODE)
            .withOptions(
                BackupOptions.builder().backupId("g1").compression(Compression.gzip()).build());
    bothWays(gzip, at);
    serve(at.data(), List.of(Step.WRITE, Step.SNAPSHOT, Step.WRITE), 24);
    BackupPlan incremental =
        BackupPlan.core(NODE).withOptions(BackupOptions.builder().backupId("g2").build());
    BackupResult second = bothWays(incremental, at);

    assertThat(second.reusedObjectCount()).isPositive();
    assertSameObjects(at, "g1");
    assertSameObjects(at, "g2");
    assertThat(ManifestObjects.lines(manifest(at.viaSpark(), "g1")))
        .anyMatch(line -> line.contains(" GZIP "));
  }

  @Test
  void taskKilledMidway_isRetriedBySpark_withNoDuplicateAndNoMissingObject() throws IOException {
    Path data = Files.createDirectories(dir.resolve("data"));
    Path killing = Files.createDirectories(dir.resolve("spark-" + UUID.randomUUID()));
    Places at =
        new Places(
            StoreLocation.of(data.toUri()),
            directory("one"),
            StoreLocation.of(URI.create("killing://" + killing)),
            directory("restored"));
    serve(at.data(), BackupScenarios.HISTORY, 25);
    BackupPlan plan =
        BackupPlan.core(NODE).withOptions(BackupOptions.builder().backupId("k1").build());
    oneProcess(plan, at);
    KillingStoreProvider.parquetWrites.set(0);
    KillingStoreProvider.killed.set(false);
    KillingStoreProvider.killAtParquetWrite.set(3);
    KillingStoreProvider.writes.clear();
    try {
      viaSpark(plan, at);
    } finally {
      KillingStoreProvider.killAtParquetWrite.set(0);
    }

    assertThat(KillingStoreProvider.killed).as("a copy thread was killed").isTrue();
    assertThat((long) KillingStoreProvider.parquetWrites.get())
        .as("Parquet writes: the killed attempt's and the retry's")
        .isGreaterThan(
            manifest(at.oneProcess(), "k1").entries().stream()
                .filter(e -> e.key().name().endsWith(".parquet"))
                .count());
    assertSameObjects(at, "k1");
    // Phases stay ordered across Spark's tasks: no copy of a phase began before every copy of the
    // phase before it had ended (the killed task's retry included).
    CoreLayout layout = CoreLayout.of(NODE);
    List<Integer> phases =
        KillingStoreProvider.writes.stream()
            .filter(key -> key.toString().startsWith("k1/node0/"))
            .map(key -> ObjectKey.of(key.toString().substring("k1/".length())))
            .map(key -> CopyPhase.of(layout.classify(key).kind()).orElseThrow().ordinal())
            .toList();
    assertThat(phases).hasSizeGreaterThan(10).isSorted();
    assertThat(phases.stream().distinct().count()).as("phases written").isGreaterThan(3);
  }
}
