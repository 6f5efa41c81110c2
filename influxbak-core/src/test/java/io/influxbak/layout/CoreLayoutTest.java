package io.influxbak.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.influxbak.store.InvalidKeyException;
import io.influxbak.store.ObjectKey;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Classification of every key form in the format facts, with the real examples they cite. */
class CoreLayoutTest {
  private final CoreLayout layout = CoreLayout.of(NodeId.of("node0"));

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "node0/wal/00000000015.wal, WAL, 15",
    "node0/snapshots/18446744073709551614.info.json, SNAPSHOT, 1",
    "node0/snapshots/18446744073709551613.info.json, SNAPSHOT, 2",
    "node0/dbs/telemetry-2/mem-1/2026-09-07/18-22/0000000006.parquet, PARQUET, 6",
    "node0/dbs/my-db-name-12/cpu-load-3/2026-09-07/18-22/0000000006.parquet, PARQUET, 6",
    "node0/dbs/2/0/2026-09-07/18-51/0000000015.parquet, PARQUET, 15",
    "node0/dbs/%2E%2E-4/t-5/2026-09-07/18-51/0000000015.parquet, PARQUET, 15",
    "node0/catalogs/00000000000000000001.catalog, CATALOG_LOG, 1",
    "node0/catalogs/18446744073709551610.catalog, CATALOG_LOG, 5",
    "node0/catalogs/18446744073709551614.catalog.snapshot, CATALOG_CHECKPOINT, 1",
    "node0/catalog/v2/logs/00000000000000000002.catalog, CATALOG_LOG, 2",
    "node0/catalog/v3/logs/00000000000000000007.catalog, CATALOG_LOG, 7",
    "node0/table-snapshots/2/0/00000000000000000001.info.json, TABLE_SNAPSHOT, 1",
    "node0/snapshot-checkpoints/2026-09/18446744073709551614.checkpoint.json, SNAPSHOT_CHECKPOINT, 1",
    // A released catalog name of 0 is sequence 0, not an inverted name.
    "node0/catalog/v2/logs/00000000000000000000.catalog, CATALOG_LOG, 0",
    // Ids of 19 digits are ids; 0 and 9 are digits.
    "node0/dbs/9090909090909090909/0/2026-09-07/18-51/0000000015.parquet, PARQUET, 15",
    "node0/table-snapshots/9090909090909090909/0/00000000000000000001.info.json,"
        + " TABLE_SNAPSHOT, 1",
  })
  void classify_sequencedKinds_kindAndSequence(String key, ObjectKind kind, long sequence) {
    NodeObject object = layout.classify(ObjectKey.of(key));
    assertThat(object.kind()).isEqualTo(kind);
    assertThat(object.sequence()).isEqualTo(OptionalLong.of(sequence));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "node0/_catalog_checkpoint, CATALOG_CHECKPOINT",
    "node0/catalog/v2/snapshot, CATALOG_CHECKPOINT",
    "node0/catalog/v3/snapshot, CATALOG_CHECKPOINT",
    "node0/catalog/restores/abc/snapshot, CATALOG_RESTORE_STAGING",
    "node0/db-indices/2/0/index.info.json, TABLE_INDEX",
    "node0/table-index-conversion-completed, TABLE_INDEX_CONVERSION_MARKER",
    "node0/wal/00000000015.wal#3, STAGING_FILE",
    "node0/dbs/2/0/2026-09-07/18-51/0000000015.parquet#1, STAGING_FILE",
    "node0/wal/15.wal, UNKNOWN",
    "node0/wal/0000000001x.wal, UNKNOWN",
    "node0/snapshots/1.info.json, UNKNOWN",
    "node0/snapshots/99999999999999999999.info.json, UNKNOWN",
    "node0/dbs/2/0/2026-09-07/0000000015.parquet, UNKNOWN",
    "node0/dbs/a/b/2026-09-07/18-51/0000000015.parquet, UNKNOWN",
    "node0/catalog/v4/snapshot, UNKNOWN",
    "node0/catalogs/00000000000000000001.json, UNKNOWN",
    "node0/db-indices/x/0/index.info.json, UNKNOWN",
    "node0/something-new/file, UNKNOWN",
    "node0/cs/summary, UNKNOWN",
    "node0/catalog/restores, CATALOG_RESTORE_STAGING",
    "node0/db-indices/9090909090909090909/0/index.info.json, TABLE_INDEX",
    // 20 digits are no id; a 19-digit id above 2^63-1 is none either (it threw before).
    "node0/db-indices/10000000000000000000/0/index.info.json, UNKNOWN",
    "node0/table-snapshots/10000000000000000000/0/00000000000000000001.info.json, UNKNOWN",
    "node0/dbs/10000000000000000000/0/2026-09-07/18-51/0000000015.parquet, UNKNOWN",
    "node0/dbs/9999999999999999999/0/2026-09-07/18-51/0000000015.parquet, UNKNOWN",
    "node0/dbs/db-9999999999999999999/0/2026-09-07/18-51/0000000015.parquet, UNKNOWN",
    // Characters next to the digits are not digits; a name is never empty.
    "node0/db-indices/1:/0/index.info.json, UNKNOWN",
    "node0/dbs/1:/0/2026-09-07/18-51/0000000015.parquet, UNKNOWN",
    "node0/dbs/-5/0/2026-09-07/18-51/0000000015.parquet, UNKNOWN",
    // Parsing accepts a sign; a fixed-width name does not.
    "node0/wal/+0000000001.wal, UNKNOWN",
  })
  void classify_otherKeys_kind(String key, ObjectKind kind) {
    assertThat(layout.classify(ObjectKey.of(key)).kind()).isEqualTo(kind);
  }

  @Test
  void classify_catalogFiles_carryTheirGeneration() {
    assertThat(layout.classify(ObjectKey.of("node0/_catalog_checkpoint")).catalogGeneration())
        .contains(CatalogGeneration.V1);
    assertThat(layout.classify(ObjectKey.of("node0/catalog/v2/snapshot")).catalogGeneration())
        .contains(CatalogGeneration.V2);
    assertThat(
            layout
                .classify(ObjectKey.of("node0/catalog/v3/logs/00000000000000000007.catalog"))
                .catalogGeneration())
        .contains(CatalogGeneration.V3);
    assertThat(layout.classify(ObjectKey.of("node0/wal/00000000015.wal")).catalogGeneration())
        .isEmpty();
  }

  @Test
  void parquetPath_nameAndIdForm_splitsOnLastDash() {
    ParquetPath path =
        ParquetPath.parse("dbs/my-db-name-12/cpu-load-3/2026-09-07/18-22/0000000006.parquet")
            .orElseThrow();
    assertThat(path.form()).isEqualTo(ParquetPathForm.NAME_AND_ID);
    assertThat(path.databaseName()).contains("my-db-name");
    assertThat(path.databaseId()).isEqualTo(12);
    assertThat(path.tableName()).contains("cpu-load");
    assertThat(path.tableId()).isEqualTo(3);
    assertThat(path.walSequence()).isEqualTo(6);
  }

  @Test
  void parquetPath_idOnlyForm_hasNoNames() {
    ParquetPath path =
        ParquetPath.parse("dbs/2/0/2026-09-07/18-51/0000000015.parquet").orElseThrow();
    assertThat(path.form()).isEqualTo(ParquetPathForm.ID_ONLY);
    assertThat(path.databaseName()).isEmpty();
    assertThat(path.databaseId()).isEqualTo(2);
    assertThat(path.date()).isEqualTo("2026-09-07");
    assertThat(path.time()).isEqualTo("18-51");
  }

  @Test
  void classify_keyOfAnotherNode_rejectedNamingKey() {
    assertThatThrownBy(() -> layout.classify(ObjectKey.of("node1/wal/00000000001.wal")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("node1/wal/00000000001.wal");
    assertThatThrownBy(() -> layout.classify(ObjectKey.of("node0-old/wal/00000000001.wal")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nodeId_invalid_rejectedNamingIdAndReason() {
    assertThatThrownBy(() -> NodeId.of("a/b"))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("a/b")
        .hasMessageContaining("'/'");
    assertThatThrownBy(() -> NodeId.of(".."))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("'..'");
    assertThatThrownBy(() -> NodeId.of(""))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void sequenceNumbers_invertedNames_roundTrip() {
    assertThat(SequenceNumbers.invertedName(1)).isEqualTo("18446744073709551614");
    assertThat(SequenceNumbers.uninvert(Long.parseUnsignedLong("18446744073709551613")))
        .isEqualTo(2);
    assertThat(SequenceNumbers.parseFixedWidth("18446744073709551616", 20)).isEmpty();
    assertThat(SequenceNumbers.padded(15, 11)).isEqualTo("00000000015");
  }
}
