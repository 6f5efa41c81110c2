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
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The edges of the layout rules beyond key classification (whose edges, the longest ids and the
 * smallest sequence, are rows of {@link CoreLayoutTest}): framed files with empty payloads or
 * cut-off headers, Enterprise keys and compactor files, and the value types' equality and order.
 */
class LayoutBoundariesTest {
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
