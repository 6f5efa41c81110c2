package io.influxbak.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableSet;
import io.influxbak.layout.CopyOrder;
import io.influxbak.layout.CopyPhase;
import io.influxbak.layout.CoreLayout;
import io.influxbak.layout.ObjectKind;
import io.influxbak.layout.testing.CoreNodeArbitraries;
import io.influxbak.layout.testing.GeneratedNode;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.repository.BackupRepository;
import io.influxbak.restore.RestoreOptions;
import io.influxbak.restore.RestorePlan;
import io.influxbak.restore.RestoreResult;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.testing.InMemoryObjectStore;
import io.influxbak.store.testing.TrackingObjectStore;
import io.influxbak.transfer.ReportedObject;
import io.influxbak.transfer.TransferSettings;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The four properties of backup and restore over generated Core layouts. */
class BackupPlanPropertiesTest {
  /** Kinds a default backup leaves out. */
  private static final Set<ObjectKind> EXCLUDED =
      ImmutableSet.of(ObjectKind.STAGING_FILE, ObjectKind.TABLE_SNAPSHOT);

  @Property(tries = 60)
  void backup_everyIncludedObjectCopiedExactlyOnce(
      @ForAll("nodes") GeneratedNode node, @ForAll("parallelism") int parallelism)
      throws IOException {
    InMemoryObjectStore source = new InMemoryObjectStore();
    node.writeTo(source);
    TrackingObjectStore destination = new TrackingObjectStore(new InMemoryObjectStore());

    BackupResult result = backup(node, parallelism).execute(source, destination);

    Set<ObjectKey> included = included(node);
    Set<ObjectKey> expectedTargets =
        included.stream()
            .map(k -> result.backupRoot().resolve(k.toString()))
            .collect(Collectors.toSet());
    assertThat(nodeData(destination.completedWrites()))
        .hasSize(included.size())
        .containsExactlyInAnyOrderElementsOf(expectedTargets);
    assertThat(destination.completedWrites())
        .endsWith(ObjectKey.of("backup-test/manifest.json")); // written last
    assertThat(result.objects().stream().map(ManifestEntry::key))
        .containsExactlyInAnyOrderElementsOf(included);
    assertThat(
            result.reported().stream()
                .filter(r -> r.disposition() == ReportedObject.Disposition.EXCLUDED)
                .map(ReportedObject::key))
        .containsExactlyInAnyOrderElementsOf(node.keysOf(EXCLUDED));
    assertThat(
            result.reported().stream()
                .filter(r -> r.disposition() == ReportedObject.Disposition.COPIED_UNKNOWN)
                .map(ReportedObject::key))
        .containsExactlyInAnyOrderElementsOf(node.keysOf(ImmutableSet.of(ObjectKind.UNKNOWN)));
    source.checkNoOpenStreams();
  }

  @Property(tries = 60)
  void backup_noObjectOfPhaseKPlusOneWrittenBeforePhaseKCompletes(
      @ForAll("nodes") GeneratedNode node, @ForAll("parallelism") int parallelism)
      throws IOException {
    InMemoryObjectStore source = new InMemoryObjectStore();
    node.writeTo(source);
    TrackingObjectStore destination = new TrackingObjectStore(new InMemoryObjectStore());

    BackupResult result = backup(node, parallelism).execute(source, destination);

    CoreLayout layout = CoreLayout.of(node.node());
    List<Integer> phaseOrder =
        nodeData(destination.completedWrites()).stream()
            .map(target -> ObjectKey.of(target.relativeTo(result.backupRoot())))
            .map(
                key ->
                    CopyOrder.CORE_BACKUP.indexOf(
                        CopyPhase.of(layout.classify(key).kind()).orElseThrow()))
            .toList();
    assertThat(phaseOrder).isSorted();
  }

  @Property(tries = 60)
  void restore_runsInTheReverseOfTheBackupOrder(
      @ForAll("nodes") GeneratedNode node, @ForAll("parallelism") int parallelism)
      throws IOException {
    assertThat(CopyOrder.CORE_RESTORE.phases())
        .containsExactlyElementsOf(
            com.google.common.collect.Lists.reverse(CopyOrder.CORE_BACKUP.phases()));
    InMemoryObjectStore source = new InMemoryObjectStore();
    node.writeTo(source);
    InMemoryObjectStore backups = new InMemoryObjectStore();
    BackupResult backup = backup(node, parallelism).execute(source, backups);
    TrackingObjectStore target = new TrackingObjectStore(new InMemoryObjectStore());

    RestorePlan.of(backup.backupId())
        .withOptions(
            RestoreOptions.builder()
                .transfer(TransferSettings.builder().parallelism(parallelism).build())
                .build())
        .execute(backups, target);

    CoreLayout layout = CoreLayout.of(node.node());
    List<Integer> restoreOrder =
        target.completedWrites().stream()
            .map(
                key ->
                    CopyOrder.CORE_RESTORE.indexOf(
                        CopyPhase.of(layout.classify(key).kind()).orElseThrow()))
            .toList();
    assertThat(restoreOrder).isSorted();
  }

  @Property(tries = 60)
  void backupThenRestore_reproducesEveryIncludedObjectByteForByte(
      @ForAll("nodes") GeneratedNode node, @ForAll("parallelism") int parallelism)
      throws IOException {
    InMemoryObjectStore source = new InMemoryObjectStore();
    node.writeTo(source);
    InMemoryObjectStore backups = new InMemoryObjectStore();
    BackupResult backup = backup(node, parallelism).execute(source, backups);
    InMemoryObjectStore target = new InMemoryObjectStore();

    RestoreResult restore = RestorePlan.of(backup.backupId()).execute(backups, target);

    Set<ObjectKey> included = included(node);
    assertThat(target.size()).isEqualTo(included.size());
    for (ObjectKey key : included) {
      assertThat(target.bytes(key))
          .as(key.toString())
          .hasValueSatisfying(
              bytes -> assertThat(bytes).isEqualTo(node.objects().get(key).bytes()));
    }
    assertThat(restore.nodes()).containsExactly(node.node());
    assertThat(restore.consistency())
        .singleElement()
        .satisfies(
            report -> assertThat(report.consistent()).as(report.findings().toString()).isTrue());
    assertThat(restore.byteCount()).isEqualTo(backup.byteCount());
    backups.checkNoOpenStreams();
  }

  /**
   * Writes of node data, without the backup's own marker and manifest (directly under the backup
   * root).
   */
  static List<ObjectKey> nodeData(List<ObjectKey> writes) {
    return writes.stream()
        .filter(k -> k.toString().indexOf('/') != k.toString().lastIndexOf('/'))
        .filter(
            k -> !BackupRepository.isRecord(k.toString().substring(k.toString().indexOf('/') + 1)))
        .toList();
  }

  private static BackupPlan backup(GeneratedNode node, int parallelism) {
    // These properties are about classification and the copy engine: every listed object, unpinned.
    return BackupPlan.core(node.node())
        .withOptions(
            BackupOptions.builder()
                .transfer(TransferSettings.builder().parallelism(parallelism).build())
                .backupId("backup-test")
                .withoutPinning()
                .build());
  }

  private static Set<ObjectKey> included(GeneratedNode node) {
    return node.objects().entrySet().stream()
        .filter(e -> !EXCLUDED.contains(e.getValue().kind()))
        .map(Map.Entry::getKey)
        .collect(Collectors.toSet());
  }

  @Provide
  Arbitrary<GeneratedNode> nodes() {
    return CoreNodeArbitraries.coreNodes();
  }

  @Provide
  Arbitrary<Integer> parallelism() {
    return Arbitraries.integers().between(1, 8);
  }
}
