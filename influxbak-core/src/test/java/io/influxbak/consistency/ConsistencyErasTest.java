package io.influxbak.consistency;

import static org.assertj.core.api.Assertions.assertThat;

import io.influxbak.consistency.ConsistencyCheck.Source;
import io.influxbak.consistency.Finding.Severity;
import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.SequenceNumbers;
import io.influxbak.layout.testing.InfluxFiles;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.WriteMode;
import io.influxbak.store.testing.InMemoryObjectStore;
import io.influxbak.store.testing.StoreKeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The consistency check on nodes of each catalog era (3.0 to 3.3, 3.4 to 3.9, 3.10 and later),
 * built with the real framing, intact and damaged; the real 3.4 node of the fixtures; a backup
 * judged against its record.
 */
class ConsistencyErasTest {
  private static final NodeId NODE = NodeId.of("node0");
  private static final ObjectKey PARQUET =
      ObjectKey.of("node0/dbs/1/2/2026-09-07/18-20/0000000006.parquet");
  private static final UUID CATALOG = UUID.fromString("14aa5755-da8c-426f-82dd-1644156a9204");

  @ParameterizedTest
  @EnumSource(CatalogGeneration.class)
  void check_intactNodeOfEachEra_consistent(CatalogGeneration era) throws IOException {
    InMemoryObjectStore store = node(era);

    ConsistencyReport report = ConsistencyCheck.check(store, KeyPrefix.ROOT, NODE, Source.LIVE);

    assertThat(report.consistent()).as(report.findings().toString()).isTrue();
    assertThat(report.newestSnapshot()).hasValue(1);
    assertThat(report.walFilesAfterSnapshot()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(CatalogGeneration.class)
  void check_catalogLogMissingInTheMiddle_errorNamingTheGap(CatalogGeneration era)
      throws IOException {
    InMemoryObjectStore store = node(era);
    store.delete(log(era, 2));

    ConsistencyReport report = ConsistencyCheck.check(store, KeyPrefix.ROOT, NODE, Source.LIVE);

    assertThat(report.findings())
        .contains(
            new Finding(
                Severity.ERROR,
                log(era, 3),
                "catalog logs 2 to 2 are missing: those catalog changes would be lost"));
  }

  @ParameterizedTest
  @EnumSource(CatalogGeneration.class)
  void check_catalogLogWithABadCrc_error(CatalogGeneration era) throws IOException {
    InMemoryObjectStore store = node(era);
    byte[] bytes = store.bytes(log(era, 3)).orElseThrow();
    bytes[bytes.length - 1] ^= 1;
    store.write(log(era, 3), ObjectContent.ofBytes(bytes), WriteMode.REPLACE);

    ConsistencyReport report = ConsistencyCheck.check(store, KeyPrefix.ROOT, NODE, Source.LIVE);

    assertThat(report.findings())
        .anySatisfy(
            f -> {
              assertThat(f.key()).isEqualTo(log(era, 3));
              assertThat(f.severity()).isEqualTo(Severity.ERROR);
              assertThat(f.reason()).contains("CRC32");
            });
  }

  @Test
  void check_v3LogOfAnotherCatalogOrMisnamed_errors() throws IOException {
    InMemoryObjectStore store = node(CatalogGeneration.V3);
    put(
        store,
        log(CatalogGeneration.V3, 2),
        InfluxFiles.catalogV3(false, UUID.randomUUID(), 2, new byte[] {2}));
    put(
        store,
        log(CatalogGeneration.V3, 3),
        InfluxFiles.catalogV3(false, CATALOG, 4, new byte[] {3}));

    ConsistencyReport report = ConsistencyCheck.check(store, KeyPrefix.ROOT, NODE, Source.LIVE);

    assertThat(report.findings())
        .contains(
            new Finding(
                Severity.ERROR,
                log(CatalogGeneration.V3, 2),
                "catalog UUID differs from the catalog snapshot's: the server refuses to start"))
        .contains(
            new Finding(
                Severity.ERROR,
                log(CatalogGeneration.V3, 3),
                "its header says catalog sequence 4, its name 3"));
  }

  @Test
  void check_upgradedStoreWithAnOlderGenerationNotClosed_warning() throws IOException {
    InMemoryObjectStore store = node(CatalogGeneration.V3);
    put(
        store,
        ObjectKey.of("node0/catalog/v2/snapshot"),
        InfluxFiles.framedCatalog("idb3.004.s", "{\"sequence\":0}"));
    put(
        store,
        ObjectKey.of("node0/catalog/v2/logs/00000000000000000001.catalog"),
        InfluxFiles.framedCatalog("idb3.004.l", "{\"sequence_number\":1}"));

    ConsistencyReport report = ConsistencyCheck.check(store, KeyPrefix.ROOT, NODE, Source.LIVE);

    assertThat(report.consistent()).isTrue();
    assertThat(report.findings())
        .anySatisfy(
            f -> {
              assertThat(f.severity()).isEqualTo(Severity.WARNING);
              assertThat(f.reason()).contains("idb3.EOF.l");
            });
  }

  @Test
  void check_realV34Node_catalogFramingSoundAndTheUnpublishedLogReported() throws IOException {
    // The fixtures hold the 3.4 node's catalog snapshot (sequence 0) and log 2; log 1 was not
    // published.
    InMemoryObjectStore store = new InMemoryObjectStore();
    for (String file :
        new String[] {
          "snapshots/18446744073709551614.info.json",
          "snapshots/18446744073709551613.info.json",
          "catalog/v2/snapshot",
          "catalog/v2/logs/00000000000000000002.catalog"
        }) {
      put(store, ObjectKey.of("node34/" + file), fixture("v3.4/node34/" + file));
    }

    ConsistencyReport report =
        ConsistencyCheck.check(store, KeyPrefix.ROOT, NodeId.of("node34"), Source.LIVE);

    assertThat(report.newestSnapshot()).hasValue(2);
    assertThat(
            report.findings().stream()
                .filter(f -> f.severity() == Severity.ERROR)
                .map(Finding::reason))
        .containsExactlyInAnyOrder(
            "catalog logs 1 to 1 are missing: those catalog changes would be lost",
            "needs catalog sequence 6 but the catalog reaches only 2");
    assertThat(
            report.findings().stream()
                .filter(f -> f.reason().contains("CRC32") || f.reason().contains("identifier")))
        .isEmpty();
    assertThat(report.findings())
        .filteredOn(f -> f.reason().startsWith("referenced by a snapshot"))
        .hasSize(24); // no Parquet here
  }

  @Test
  void checkBackup_liveParquetMissing_errorUnlessTheRecordSaysTheSourceLackedIt()
      throws IOException {
    InMemoryObjectStore store = node(CatalogGeneration.V2);
    KeyPrefix backup = KeyPrefix.of("b");
    for (ObjectKey key : StoreKeys.under(store, NODE.prefix())) {
      put(store, backup.resolve(key), store.bytes(key).orElseThrow());
    }
    store.delete(backup.resolve(PARQUET));

    ConsistencyReport lost =
        ConsistencyCheck.checkBackup(store, backup, NODE, Set.<ObjectKey>of()::contains);
    ConsistencyReport goneAtTheSource =
        ConsistencyCheck.checkBackup(store, backup, NODE, Set.of(PARQUET)::contains);
    ConsistencyReport live =
        ConsistencyCheck.check(store, backup, NODE, ConsistencyCheck.Source.LIVE);

    assertThat(lost.findings())
        .contains(
            new Finding(
                Severity.ERROR, PARQUET, "referenced by a snapshot but missing from the backup"));
    assertThat(goneAtTheSource.consistent()).isTrue();
    assertThat(goneAtTheSource.findings())
        .anySatisfy(
            f -> {
              assertThat(f.key()).isEqualTo(PARQUET);
              assertThat(f.severity()).isEqualTo(Severity.WARNING);
              assertThat(f.reason()).contains("retention or a hard delete may have removed it");
            });
    assertThat(goneAtTheSource.findings())
        .as("the same findings as the live check of the same data")
        .isEqualTo(live.findings());
  }

  /**
   * Snapshot 1 (WAL 4, catalog 4) naming one Parquet file, WAL 3 to 6, and a catalog of {@code
   * era}: checkpoint at 1, logs 1 to 4.
   */
  private static InMemoryObjectStore node(CatalogGeneration era) throws IOException {
    InMemoryObjectStore store = new InMemoryObjectStore();
    put(store, PARQUET, InfluxFiles.parquet(300, 1));
    put(
        store,
        ObjectKey.of("node0/snapshots/" + SequenceNumbers.invertedName(1) + ".info.json"),
        ("{\"version\": \"1\", \"node_id\": \"node0\", \"next_file_id\": 2, \"snapshot_sequence_number\": 1, \"wal_file_sequence_number\": 4,"
                + " \"catalog_sequence_number\": 4, \"parquet_size_bytes\": 300, \"row_count\": 1, \"min_time\": 0, \"max_time\": 9,"
                + " \"databases\": [[1, {\"tables\": [[2, [{\"id\": 1, \"path\": \""
                + PARQUET
                + "\", \"size_bytes\": 300, \"row_count\": 1,"
                + " \"chunk_time\": 0, \"min_time\": 0, \"max_time\": 9}]]]}]], \"removed_files\": []}")
            .getBytes(StandardCharsets.UTF_8));
    for (int wal = 3; wal <= 6; wal++) {
      put(
          store,
          ObjectKey.of("node0/wal/" + SequenceNumbers.padded(wal, 11) + ".wal"),
          InfluxFiles.wal(("batch " + wal).getBytes(StandardCharsets.UTF_8)));
    }
    put(store, ObjectKey.of("node0/" + era.checkpoint()), catalogFile(era, true, 1));
    for (int sequence = 1; sequence <= 4; sequence++) {
      put(store, log(era, sequence), catalogFile(era, false, sequence));
    }
    return store;
  }

  private static byte[] catalogFile(CatalogGeneration era, boolean checkpoint, long sequence) {
    String json =
        checkpoint
            ? "{\"sequence\":" + sequence + ",\"catalog_uuid\":\"" + CATALOG + "\"}"
            : "{\"catalog_batch\":{},\"sequence_number\":" + sequence + "}";
    return switch (era) {
      case V1 -> InfluxFiles.framedCatalog(checkpoint ? "idb3.003.s" : "idb3.003.l", json);
      case V2 -> InfluxFiles.framedCatalog(checkpoint ? "idb3.004.s" : "idb3.004.l", json);
      case V3 ->
          InfluxFiles.catalogV3(
              checkpoint, CATALOG, sequence, json.getBytes(StandardCharsets.UTF_8));
    };
  }

  private static ObjectKey log(CatalogGeneration era, long sequence) {
    return ObjectKey.of(
        "node0/" + era.logDirectory() + SequenceNumbers.padded(sequence, 20) + ".catalog");
  }

  private static void put(InMemoryObjectStore store, ObjectKey key, byte[] bytes)
      throws IOException {
    store.write(key, ObjectContent.ofBytes(bytes), WriteMode.REPLACE);
  }

  private static byte[] fixture(String path) throws IOException {
    try (InputStream in =
        ConsistencyErasTest.class.getResourceAsStream("/fixtures/upstream/" + path)) {
      assertThat(in).as(path).isNotNull();
      return in.readAllBytes();
    }
  }
}
