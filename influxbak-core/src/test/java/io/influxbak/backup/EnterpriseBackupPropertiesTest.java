package io.influxbak.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.collect.ImmutableSet;
import io.influxbak.consistency.ConsistencyCheck;
import io.influxbak.layout.CopyOrder;
import io.influxbak.layout.CopyPhase;
import io.influxbak.layout.EnterpriseLayout;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.ObjectKind;
import io.influxbak.layout.testing.EnterpriseClusterArbitraries;
import io.influxbak.layout.testing.GeneratedCluster;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.restore.LicenseRelocationException;
import io.influxbak.restore.RestoreOptions;
import io.influxbak.restore.RestorePlan;
import io.influxbak.restore.RestoreResult;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.testing.InMemoryObjectStore;
import io.influxbak.store.testing.StoreKeys;
import io.influxbak.store.testing.TrackingObjectStore;
import io.influxbak.transfer.ReportedObject;
import io.influxbak.transfer.TransferSettings;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Backups and restores of generated Enterprise clusters: completeness, the documented orders, round
 * trip, licences.
 */
class EnterpriseBackupPropertiesTest {
  private static final Set<ObjectKind> EXCLUDED =
      ImmutableSet.of(
          ObjectKind.STAGING_FILE, ObjectKind.TABLE_SNAPSHOT, ObjectKind.CLUSTER_BACKUP);

  @Property(tries = 50)
  void backup_copiesEveryIncludedObjectOnceInTheDocumentedOrder(
      @ForAll("clusters") GeneratedCluster cluster) throws IOException {
    InMemoryObjectStore source = new InMemoryObjectStore();
    cluster.writeTo(source);
    TrackingObjectStore destination = new TrackingObjectStore(new InMemoryObjectStore());

    BackupResult result =
        plan(cluster)
            .withOptions(
                BackupOptions.builder()
                    .transfer(TransferSettings.builder().parallelism(4).build())
                    .backupId("b")
                    .withoutPinning()
                    .build())
            .execute(source, destination);

    Set<ObjectKey> included = cluster.keysOf(EnumSet.complementOf(EnumSet.copyOf(EXCLUDED)));
    assertThat(result.objects().stream().map(ManifestEntry::key))
        .containsExactlyInAnyOrderElementsOf(included);
    assertThat(BackupPlanPropertiesTest.nodeData(destination.completedWrites()))
        .hasSize(included.size());
    List<Integer> order =
        BackupPlanPropertiesTest.nodeData(destination.completedWrites()).stream()
            .map(
                target ->
                    CopyOrder.ENTERPRISE_BACKUP.indexOf(
                        CopyPhase.of(
                                kind(cluster, ObjectKey.of(target.relativeTo(result.backupRoot()))))
                            .orElseThrow()))
            .toList();
    assertThat(order).isSorted();
    assertThat(result.cluster()).contains(cluster.cluster());
    Set<String> absentLicenses =
        result.reported().stream()
            .filter(r -> r.disposition() == ReportedObject.Disposition.ABSENT)
            .map(r -> r.key().toString())
            .collect(Collectors.toSet());
    for (String license : new String[] {"commercial_license", "trial_or_home_license"}) {
      ObjectKey key = cluster.cluster().prefix().resolve(license);
      assertThat(absentLicenses.contains(key.toString()))
          .as(license)
          .isEqualTo(!cluster.objects().containsKey(key));
    }
  }

  @Property(tries = 50)
  void backupThenRestore_documentedRestoreOrderAndByteForByte(
      @ForAll("clusters") GeneratedCluster cluster) throws IOException {
    InMemoryObjectStore source = new InMemoryObjectStore();
    cluster.writeTo(source);
    InMemoryObjectStore backups = new InMemoryObjectStore();
    plan(cluster)
        .withOptions(BackupOptions.builder().backupId("b").withoutPinning().build())
        .execute(source, backups);
    InMemoryObjectStore restored = new InMemoryObjectStore();
    TrackingObjectStore target = new TrackingObjectStore(restored);

    RestorePlan.of("b")
        .enterprise(
            cluster.cluster().toString(), cluster.compactor().map(Object::toString).orElse(null))
        .withOptions(
            RestoreOptions.builder()
                .transfer(TransferSettings.builder().parallelism(4).build())
                .acceptLicenseRelocation()
                .build())
        .execute(backups, target);

    Set<ObjectKey> included = cluster.keysOf(EnumSet.complementOf(EnumSet.copyOf(EXCLUDED)));
    // Node data, besides the restore's own markers (written first, deleted last).
    List<ObjectKey> written =
        target.completedWrites().stream()
            .filter(k -> !k.name().equals(ConsistencyCheck.RESTORE_MARKER))
            .toList();
    assertThat(written).containsExactlyInAnyOrderElementsOf(included);
    assertThat(StoreKeys.under(restored, KeyPrefix.ROOT))
        .noneMatch(k -> k.name().equals(ConsistencyCheck.RESTORE_MARKER));
    for (ObjectKey key : included) {
      assertThat(restored.bytes(key))
          .hasValueSatisfying(b -> assertThat(b).isEqualTo(cluster.objects().get(key).bytes()));
    }
    List<Integer> order =
        written.stream()
            .map(
                key ->
                    CopyOrder.ENTERPRISE_RESTORE.indexOf(
                        CopyPhase.of(kind(cluster, key)).orElseThrow()))
            .toList();
    assertThat(order).isSorted();
  }

  @Test
  void restore_licenseOfUnprovenOrigin_refusedNamingItAndNothingWritten() throws IOException {
    GeneratedCluster cluster = EnterpriseClusterArbitraries.build(2, true, 1, 42);
    InMemoryObjectStore source = new InMemoryObjectStore();
    cluster.writeTo(source);
    InMemoryObjectStore backups = new InMemoryObjectStore();
    plan(cluster)
        .withOptions(BackupOptions.builder().backupId("b").build())
        .execute(source, backups);
    InMemoryObjectStore target = new InMemoryObjectStore();

    assertThatThrownBy(
            () ->
                RestorePlan.of("b")
                    .enterprise(cluster.cluster().toString(), "compactor")
                    .execute(backups, target))
        .isInstanceOf(LicenseRelocationException.class)
        .hasMessageContaining(cluster.cluster() + "/commercial_license");
    assertThat(target.size()).isZero();

    RestoreResult withoutLicenses =
        RestorePlan.of("b")
            .enterprise(cluster.cluster().toString(), "compactor")
            .withOptions(RestoreOptions.builder().withoutLicenses().build())
            .execute(backups, target);
    assertThat(target.stat(cluster.cluster().prefix().resolve("commercial_license"))).isEmpty();
    assertThat(target.stat(cluster.cluster().prefix().resolve("enterprise"))).isPresent();
    assertThat(withoutLicenses.reported())
        .anySatisfy(r -> assertThat(r.kind()).isEqualTo(ObjectKind.LICENSE));
  }

  @Test
  void restore_clusterCatalogCheckedUnderClusterPrefix_consistentThenNot() throws IOException {
    GeneratedCluster cluster = EnterpriseClusterArbitraries.build(2, true, 1, 77);
    InMemoryObjectStore source = new InMemoryObjectStore();
    cluster.writeTo(source);
    // Real Enterprise nodes keep no catalog of their own: only the cluster's.
    for (ObjectKey key :
        cluster.keysOf(EnumSet.of(ObjectKind.CATALOG_LOG, ObjectKind.CATALOG_CHECKPOINT))) {
      if (!key.isUnder(cluster.cluster().prefix())) {
        source.delete(key);
      }
    }
    InMemoryObjectStore backups = new InMemoryObjectStore();
    plan(cluster)
        .withOptions(BackupOptions.builder().backupId("b").build())
        .execute(source, backups);

    RestoreResult restored =
        RestorePlan.of("b")
            .withOptions(RestoreOptions.builder().acceptLicenseRelocation().build())
            .execute(backups, new InMemoryObjectStore());
    assertThat(restored.consistent()).as(restored.consistency().toString()).isTrue();
    assertThat(restored.consistency())
        .extracting(r -> r.node().toString())
        .contains("data0", "data1", "compactor", cluster.cluster().toString());

    ObjectKey log =
        cluster.keysOf(EnumSet.of(ObjectKind.CATALOG_LOG)).stream()
            .filter(k -> k.isUnder(cluster.cluster().prefix()))
            .findFirst()
            .orElseThrow();
    backups.delete(ObjectKey.of("b/" + log));
    backups.delete(ObjectKey.of("b/manifest.json"));
    RestoreResult broken =
        RestorePlan.of("b")
            .enterprise(cluster.cluster().toString(), "compactor")
            .withOptions(
                RestoreOptions.builder().allowIncomplete().acceptLicenseRelocation().build())
            .execute(backups, new InMemoryObjectStore());
    assertThat(broken.consistent()).isFalse();
  }

  @Test
  void backup_nodeMissingFromStore_errorNamesIt() throws IOException {
    GeneratedCluster cluster = EnterpriseClusterArbitraries.build(1, false, 3, 7);
    InMemoryObjectStore source = new InMemoryObjectStore();
    cluster.writeTo(source);

    assertThatThrownBy(
            () ->
                BackupPlan.enterprise(cluster.cluster().toString())
                    .nodes("data0", "ghost")
                    .execute(source, new InMemoryObjectStore()))
        .isInstanceOf(NodeNotFoundException.class)
        .hasMessageContaining("ghost/");
  }

  @Test
  void enterprisePlan_withoutNodes_refusedClearly() {
    assertThatThrownBy(
            () ->
                BackupPlan.enterprise("c1")
                    .execute(new InMemoryObjectStore(), new InMemoryObjectStore()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("names no node");
    assertThatThrownBy(() -> BackupPlan.core("n").nodes("x"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void backup_includeEnterpriseBackups_copiesBuiltInBackupsOnlyWhenAsked() throws IOException {
    GeneratedCluster cluster = EnterpriseClusterArbitraries.build(1, false, 1, 3);
    InMemoryObjectStore source = new InMemoryObjectStore();
    cluster.writeTo(source);
    ObjectKey builtIn = cluster.cluster().prefix().resolve("backups/weekly/manifest.json");
    source.write(
        builtIn,
        io.influxbak.store.ObjectContent.ofBytes(new byte[] {1}),
        io.influxbak.store.WriteMode.REPLACE);

    BackupResult without = plan(cluster).execute(source, new InMemoryObjectStore());
    BackupResult with =
        plan(cluster)
            .withOptions(BackupOptions.builder().includeEnterpriseBackups().build())
            .execute(source, new InMemoryObjectStore());

    assertThat(without.objects()).noneMatch(o -> o.key().equals(builtIn));
    assertThat(without.reported()).anySatisfy(r -> assertThat(r.key()).isEqualTo(builtIn));
    assertThat(with.objects()).anySatisfy(o -> assertThat(o.key()).isEqualTo(builtIn));
  }

  private static BackupPlan plan(GeneratedCluster cluster) {
    BackupPlan plan =
        BackupPlan.enterprise(cluster.cluster().toString())
            .nodes(cluster.nodes().stream().map(NodeId::toString).toArray(String[]::new));
    return cluster.compactor().isPresent()
        ? plan.compactor(cluster.compactor().get().toString())
        : plan;
  }

  private static ObjectKind kind(GeneratedCluster cluster, ObjectKey key) {
    EnterpriseLayout layout =
        EnterpriseLayout.of(cluster.cluster(), cluster.nodes(), cluster.compactor());
    String first = key.toString().substring(0, key.toString().indexOf('/'));
    return first.equals(cluster.cluster().toString())
        ? layout.classifyClusterKey(key).kind()
        : layout.classifyNodeKey(NodeId.of(first), key).kind();
  }

  @Provide
  Arbitrary<GeneratedCluster> clusters() {
    return EnterpriseClusterArbitraries.clusters();
  }
}
