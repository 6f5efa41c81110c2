package io.influxbak.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.testing.EqualsTester;
import io.influxbak.layout.testing.InfluxFiles;
import io.influxbak.store.ObjectKey;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The edges of the layout rules: the longest and largest ids and sequence numbers, framed files
 * with empty payloads or cut-off headers, Enterprise keys and compactor files, and the value types'
 * equality and order.
 */
class LayoutBoundariesTest {
  private final CoreLayout layout = CoreLayout.of(NodeId.of("node0"));

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    // A released catalog name of 0 is sequence 0, not an inverted name.
    "node0/catalog/v2/logs/00000000000000000000.catalog, CATALOG_LOG, 0",
    // Ids of 19 digits are ids; 0 and 9 are digits.
    "node0/dbs/9090909090909090909/0/2026-09-07/18-51/0000000015.parquet, PARQUET, 15",
    "node0/table-snapshots/9090909090909090909/0/00000000000000000001.info.json,"
        + " TABLE_SNAPSHOT, 1",
  })
  void classify_largestIdsAndSmallestSequence(String key, ObjectKind kind, long sequence) {
    NodeObject object = layout.classify(ObjectKey.of(key));
    assertThat(object.kind()).isEqualTo(kind);
    assertThat(object.sequence()).isEqualTo(OptionalLong.of(sequence));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
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
  void classify_justOutsideTheRules_unknown(String key, ObjectKind kind) {
    assertThat(layout.classify(ObjectKey.of(key)).kind()).isEqualTo(kind);
  }

  @Test
  void framing_emptyPayloads_sound() {
    assertThat(InternalFraming.problem(ObjectKind.WAL, InfluxFiles.wal(new byte[0]))).isEmpty();
    byte[] v3 = InfluxFiles.catalogV3(false, new UUID(1, 2), 1, new byte[0]);
    assertThat(v3).hasSize(64);
    assertThat(InternalFraming.problem(ObjectKind.CATALOG_LOG, v3)).isEmpty();
  }

  @Test
  void framing_cutOffHeaders_named() {
    byte[] v3 = InfluxFiles.catalogV3(true, new UUID(1, 2), 1, new byte[] {1, 2, 3});
    assertThat(InternalFraming.problem(ObjectKind.CATALOG_CHECKPOINT, Arrays.copyOf(v3, 63)))
        .hasValueSatisfying(p -> assertThat(p).contains("63 bytes is shorter"));
    assertThat(
            InternalFraming.problem(
                ObjectKind.WAL, Arrays.copyOf(InfluxFiles.wal(new byte[0]), 11)))
        .hasValueSatisfying(p -> assertThat(p).contains("11 bytes is shorter"));
    // A payload longer than the header says: the header's CRC still matches, its length does not.
    byte[] longer = Arrays.copyOf(v3, v3.length + 1);
    assertThat(InternalFraming.problem(ObjectKind.CATALOG_CHECKPOINT, longer))
        .contains("3.10+ catalog payload is 4 bytes, the header says 3");
    assertThat(ByteBuffer.wrap(v3).order(ByteOrder.LITTLE_ENDIAN).getLong(0x30)).isEqualTo(3);
  }

  @Test
  void enterpriseLayout_repeatedNodeOrClusterNamedAsNode_rejected() {
    ClusterId cluster = ClusterId.of("c1");
    assertThatThrownBy(
            () ->
                EnterpriseLayout.of(
                    cluster, List.of(NodeId.of("n1"), NodeId.of("n1")), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Node repeated");
    assertThatThrownBy(
            () ->
                EnterpriseLayout.of(
                    cluster, List.of(NodeId.of("n1")), Optional.of(NodeId.of("c1"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cluster id c1 is also a node id");
    // The compactor listed among the nodes too counts once.
    assertThat(
            EnterpriseLayout.of(
                    cluster,
                    List.of(NodeId.of("n1"), NodeId.of("cp")),
                    Optional.of(NodeId.of("cp")))
                .nodes())
        .containsExactly(NodeId.of("n1"), NodeId.of("cp"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "c1/enterprise, ENTERPRISE_CONFIG",
    "c1/commercial_license, LICENSE",
    "c1/trial_or_home_license, LICENSE",
    "c1/backups/x, CLUSTER_BACKUP",
    "c1/catalog/v3/snapshot, CATALOG_CHECKPOINT",
    "c1/enterprise2, UNKNOWN",
    "c1/wal/00000000001.wal, UNKNOWN",
  })
  void enterpriseLayout_clusterKeys(String key, ObjectKind kind) {
    EnterpriseLayout cluster =
        EnterpriseLayout.of(ClusterId.of("c1"), List.of(NodeId.of("n1")), Optional.empty());
    assertThat(cluster.classifyClusterKey(ObjectKey.of(key)).kind()).isEqualTo(kind);
  }

  @ParameterizedTest(name = "{0} on {1} -> {2}")
  @CsvSource({
    "cp/cs/summary, cp, COMPACTOR_FILE",
    "cp/cd/detail, cp, COMPACTOR_FILE",
    "cp/c/1/2/file.parquet, cp, COMPACTOR_FILE",
    "cp/csx/file, cp, UNKNOWN",
    "cp/wal/00000000001.wal, cp, WAL",
    "n1/cs/summary, n1, UNKNOWN",
  })
  void enterpriseLayout_compactorFilesOnlyOnTheCompactor(String key, String node, ObjectKind kind) {
    EnterpriseLayout cluster =
        EnterpriseLayout.of(
            ClusterId.of("c1"), List.of(NodeId.of("n1")), Optional.of(NodeId.of("cp")));
    assertThat(cluster.classifyNodeKey(NodeId.of(node), ObjectKey.of(key)).kind()).isEqualTo(kind);
    EnterpriseLayout noCompactor =
        EnterpriseLayout.of(ClusterId.of("c1"), List.of(NodeId.of("cp")), Optional.empty());
    assertThat(noCompactor.classifyNodeKey(NodeId.of("cp"), ObjectKey.of("cp/cs/summary")).kind())
        .isEqualTo(ObjectKind.UNKNOWN);
  }

  @Test
  void copyOrder_reversedIndexAndRepeats() {
    CopyOrder backup = CopyOrder.CORE_BACKUP;
    List<CopyPhase> reversed = backup.reversed().phases();
    assertThat(reversed).hasSameSizeAs(backup.phases());
    for (int i = 0; i < reversed.size(); i++) {
      assertThat(reversed.get(i)).isEqualTo(backup.phases().get(backup.phases().size() - 1 - i));
      assertThat(backup.indexOf(backup.phases().get(i))).isEqualTo(i);
    }
    assertThatThrownBy(() -> backup.indexOf(CopyPhase.COMPACTOR))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("COMPACTOR");
    assertThatThrownBy(() -> new CopyOrder(List.of(CopyPhase.WAL, CopyPhase.WAL)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Phase repeated");
  }

  @Test
  void ids_equalityAndOrder() {
    new EqualsTester()
        .addEqualityGroup(NodeId.of("a"), NodeId.of("a"))
        .addEqualityGroup(NodeId.of("b"))
        .testEquals();
    new EqualsTester()
        .addEqualityGroup(ClusterId.of("a"), ClusterId.of("a"))
        .addEqualityGroup(ClusterId.of("b"))
        .testEquals();
    assertThat(Stream.of("b", "c", "a").map(NodeId::of).sorted())
        .containsExactly(NodeId.of("a"), NodeId.of("b"), NodeId.of("c"));
  }

  @Test
  void serverDeletes_onlyWhatTheServerRemovesItself() {
    assertThat(ObjectKind.WAL.serverDeletes()).isTrue();
    assertThat(ObjectKind.PARQUET.serverDeletes()).isTrue();
    assertThat(ObjectKind.SNAPSHOT.serverDeletes()).isFalse();
    assertThat(ObjectKind.CATALOG_LOG.serverDeletes()).isFalse();
    assertThat(ObjectKind.LICENSE.serverDeletes()).isFalse();
  }
}
