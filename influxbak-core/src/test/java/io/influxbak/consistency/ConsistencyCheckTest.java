package io.influxbak.consistency;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.consistency.ConsistencyCheck.Source;
import io.influxbak.consistency.Finding.Severity;
import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.ObjectKind;
import io.influxbak.layout.testing.CoreNodeArbitraries;
import io.influxbak.layout.testing.GeneratedNode;
import io.influxbak.layout.testing.InfluxFiles;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.WriteMode;
import io.influxbak.store.testing.InMemoryObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The consistency check on generated nodes (live and backed up), on damaged copies, and on real
 * files.
 */
class ConsistencyCheckTest {
  @Property(tries = 60)
  void generatedNode_consistentLiveAndInItsBackup(@ForAll("nodes") GeneratedNode node)
      throws IOException {
    InMemoryObjectStore store = new InMemoryObjectStore();
    node.writeTo(store);
    BackupPlan.core(node.node())
        .withOptions(BackupOptions.builder().backupId("b").build())
        .execute(store);

    ConsistencyReport live =
        ConsistencyCheck.check(store, KeyPrefix.ROOT, node.node(), Source.LIVE);
    ConsistencyReport backup =
        ConsistencyCheck.check(store, KeyPrefix.of("b"), node.node(), Source.BACKUP);

    assertThat(live.consistent()).as(live.findings().toString()).isTrue();
    assertThat(backup.consistent()).as(backup.findings().toString()).isTrue();
    assertThat(backup.newestSnapshot()).isEqualTo(live.newestSnapshot());
    assertThat(backup.walFilesAfterSnapshot()).isEqualTo(live.walFilesAfterSnapshot());
  }

  @Test
  void damage_eachFoundWithItsSeverity() throws IOException {
    GeneratedNode node =
        CoreNodeArbitraries.build(
            NodeId.of("node0"),
            2,
            2,
            4,
            4,
            List.of(CatalogGeneration.V2, CatalogGeneration.V3),
            0,
            21);
    InMemoryObjectStore store = new InMemoryObjectStore();
    node.writeTo(store);
    BackupPlan.core("node0")
        .withOptions(BackupOptions.builder().backupId("b").build())
        .execute(store);
    KeyPrefix b = KeyPrefix.of("b");
    java.util.Iterator<ObjectKey> parquets = node.keysOf(Set.of(ObjectKind.PARQUET)).iterator();
    ObjectKey parquet = parquets.next();
    ObjectKey resized = parquets.next();
    List<ObjectKey> v3Logs =
        node.keysOf(Set.of(ObjectKind.CATALOG_LOG)).stream()
            .filter(k -> k.toString().contains("/v3/"))
            .toList();
    ObjectKey orphan = ObjectKey.of("node0/dbs/9/9/2026-09-07/10-00/0000000001.parquet");
    ObjectKey emptyWal = ObjectKey.of("node0/wal/00000099999.wal");

    long recorded = store.stat(b.resolve(resized)).orElseThrow().size();
    store.write( // a live Parquet file of another size than its snapshot records
        b.resolve(resized), ObjectContent.ofBytes(new byte[(int) recorded + 1]), WriteMode.REPLACE);
    store.delete(b.resolve(parquet)); // a live Parquet file missing from the backup
    store.delete(parquet); // and from the live store
    store.write(
        b.resolve(orphan),
        ObjectContent.ofBytes(InfluxFiles.parquet(100, 1)),
        WriteMode.CREATE_NEW);
    store.write(b.resolve(emptyWal), ObjectContent.ofBytes(new byte[0]), WriteMode.CREATE_NEW);
    store.write(
        b.resolve(ObjectKey.of("node0/wal/00000099997.wal")),
        ObjectContent.ofBytes(InfluxFiles.wal(new byte[] {1})),
        WriteMode.CREATE_NEW);
    if (v3Logs.size() >= 2) {
      store.delete(b.resolve(v3Logs.get(0))); // a hole in the live catalog generation
    }

    ConsistencyReport backup = ConsistencyCheck.check(store, b, NodeId.of("node0"), Source.BACKUP);
    ConsistencyReport live =
        ConsistencyCheck.check(store, KeyPrefix.ROOT, NodeId.of("node0"), Source.LIVE);

    assertThat(backup.consistent()).isFalse();
    assertThat(backup.findings())
        .contains(
            new Finding(
                Severity.ERROR, parquet, "referenced by a snapshot but missing from the backup"));
    assertThat(backup.findings())
        .contains(
            new Finding(
                Severity.ERROR,
                resized,
                "size " + (recorded + 1) + ", the snapshot records " + recorded));
    assertThat(live.findings())
        .anySatisfy(
            f -> {
              assertThat(f.key()).isEqualTo(parquet);
              assertThat(f.severity()).isEqualTo(Severity.WARNING);
            });
    assertThat(backup.findings())
        .anySatisfy(
            f -> {
              assertThat(f.key()).isEqualTo(orphan);
              assertThat(f.severity()).isEqualTo(Severity.INFO);
              assertThat(f.reason()).startsWith("orphan");
            });
    assertThat(backup.findings())
        .anySatisfy(
            f -> {
              assertThat(f.key()).isEqualTo(emptyWal);
              assertThat(f.severity()).isEqualTo(Severity.WARNING);
              assertThat(f.reason()).contains("zero-byte");
            });
    assertThat(backup.findings())
        .contains(
            new Finding(
                Severity.WARNING,
                emptyWal,
                "WAL gap: files 99998 to 99998 are absent (the server tolerates gaps)"));
    if (v3Logs.size() >= 2) {
      assertThat(backup.findings())
          .anySatisfy(
              f -> {
                assertThat(f.severity()).isEqualTo(Severity.ERROR);
                assertThat(f.reason()).contains("catalog logs").contains("missing");
              });
    }
  }

  /**
   * A cluster: consistent as generated, with an information finding for each licence file it does
   * not hold; without its cluster catalog, inconsistent by an error on the cluster prefix alone.
   */
  @Test
  void cluster_licencesAbsentAreInformationCatalogAbsentIsAnError() throws IOException {
    io.influxbak.layout.testing.GeneratedCluster cluster =
        io.influxbak.layout.testing.EnterpriseClusterArbitraries.build(1, false, 1, 9);
    InMemoryObjectStore store = new InMemoryObjectStore();
    cluster.writeTo(store);
    io.influxbak.layout.EnterpriseLayout layout =
        io.influxbak.layout.EnterpriseLayout.of(
            cluster.cluster(), cluster.nodes(), cluster.compactor());

    ClusterConsistencyReport whole =
        ConsistencyCheck.checkCluster(store, KeyPrefix.ROOT, layout, Source.LIVE);
    assertThat(whole.consistent()).as(whole.clusterFindings().toString()).isTrue();
    assertThat(whole.clusterFindings())
        .filteredOn(f -> f.key().name().endsWith("_license"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.key().name()).isEqualTo("trial_or_home_license");
              assertThat(f.severity()).isEqualTo(Severity.INFO);
            });

    for (ObjectKey key :
        cluster.keysOf(Set.of(ObjectKind.CATALOG_LOG, ObjectKind.CATALOG_CHECKPOINT))) {
      if (key.isUnder(cluster.cluster().prefix())) {
        store.delete(key);
      }
    }
    ClusterConsistencyReport withoutCatalog =
        ConsistencyCheck.checkCluster(store, KeyPrefix.ROOT, layout, Source.LIVE);
    assertThat(withoutCatalog.nodes()).allMatch(ConsistencyReport::consistent);
    assertThat(withoutCatalog.consistent()).isFalse();
    assertThat(withoutCatalog.clusterFindings()).anyMatch(f -> f.severity() == Severity.ERROR);
  }

  @Test
  void snapshotNeedingNewerCatalog_error() throws IOException {
    GeneratedNode node =
        CoreNodeArbitraries.build(
            NodeId.of("node0"), 1, 1, 2, 1, List.of(CatalogGeneration.V2), 0, 3);
    InMemoryObjectStore store = new InMemoryObjectStore();
    node.writeTo(store);
    ObjectKey snapshot = node.keysOf(Set.of(ObjectKind.SNAPSHOT)).iterator().next();
    String json =
        new String(store.bytes(snapshot).orElseThrow(), StandardCharsets.UTF_8)
            .replace("\"catalog_sequence_number\": 1", "\"catalog_sequence_number\": 999");
    store.write(
        snapshot, ObjectContent.ofBytes(json.getBytes(StandardCharsets.UTF_8)), WriteMode.REPLACE);

    ConsistencyReport report =
        ConsistencyCheck.check(store, KeyPrefix.ROOT, NodeId.of("node0"), Source.LIVE);

    assertThat(report.consistent()).isFalse();
    assertThat(report.findings())
        .anySatisfy(
            f -> {
              assertThat(f.key()).isEqualTo(snapshot);
              assertThat(f.reason()).contains("needs catalog sequence 999");
            });
  }

  @Test
  void realFixtureNode_reportsTheCatalogLogsItLacks() throws IOException {
    // The fixtures hold the 3.0 node's checkpoint (sequence 0) and log 1, while its snapshots need
    // catalog
    // sequence 5: logs 2 to 5 were not published. The check must say so, not pass.
    InMemoryObjectStore store = new InMemoryObjectStore();
    ObjectMapper mapper = new ObjectMapper();
    for (String name :
        new String[] {"18446744073709551614.info.json", "18446744073709551613.info.json"}) {
      byte[] bytes = fixture("v3.0/node30/snapshots/" + name);
      store.write(
          ObjectKey.of("node30/snapshots/" + name),
          ObjectContent.ofBytes(bytes),
          WriteMode.CREATE_NEW);
      for (JsonNode database : mapper.readTree(bytes).get("databases")) {
        for (JsonNode table : database.get(1).get("tables")) {
          for (JsonNode file : table.get(1)) {
            store.write(
                ObjectKey.of(file.get("path").asText()),
                ObjectContent.ofBytes(InfluxFiles.parquet(file.get("size_bytes").asInt(), 1)),
                WriteMode.CREATE_NEW);
          }
        }
      }
    }
    for (String catalog :
        new String[] {"_catalog_checkpoint", "catalogs/00000000000000000001.catalog"}) {
      store.write(
          ObjectKey.of("node30/" + catalog),
          ObjectContent.ofBytes(fixture("v3.0/node30/" + catalog)),
          WriteMode.CREATE_NEW);
    }

    ConsistencyReport report =
        ConsistencyCheck.check(store, KeyPrefix.ROOT, NodeId.of("node30"), Source.LIVE);

    assertThat(report.newestSnapshot()).hasValue(2);
    assertThat(report.walSequence()).hasValue(12);
    assertThat(report.findings().stream().filter(f -> f.severity() == Severity.ERROR))
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.reason())
                    .isEqualTo("needs catalog sequence 5 but the catalog reaches only 1"));
  }

  @Provide
  Arbitrary<GeneratedNode> nodes() {
    return CoreNodeArbitraries.coreNodes();
  }

  private static byte[] fixture(String path) throws IOException {
    try (InputStream in =
        ConsistencyCheckTest.class.getResourceAsStream("/fixtures/upstream/" + path)) {
      assertThat(in).as(path).isNotNull();
      return in.readAllBytes();
    }
  }
}
