package io.influxbak.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.influxbak.consistency.ConsistencyCheck;
import io.influxbak.consistency.ConsistencyReport;
import io.influxbak.consistency.Finding;
import io.influxbak.encryption.BackupKeys;
import io.influxbak.encryption.LocalKey;
import io.influxbak.layout.ObjectKind;
import io.influxbak.layout.testing.CoreNodeArbitraries;
import io.influxbak.layout.testing.GeneratedNode;
import io.influxbak.manifest.BackupManifest;
import io.influxbak.manifest.SourceFinding;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupRepository;
import io.influxbak.repository.BackupView;
import io.influxbak.restore.RestoreOptions;
import io.influxbak.restore.RestorePlan;
import io.influxbak.restore.RestoreResult;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.testing.InMemoryObjectStore;
import io.influxbak.transfer.Compression;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * One verdict per node state: for any node, a backup of it (full or incremental, compressed or not,
 * encrypted or not, with a referenced Parquet file already gone at the source or not) records as
 * its source's condition exactly the live check's warnings and errors; a check of the backup
 * through its manifest gives exactly the findings of a check of the node restored from it; and a
 * Parquet file the source lacked is the same warning in all three.
 */
class OneVerdictPropertiesTest {
  @Property(tries = 80)
  void liveBackupAndRestoredNode_giveTheSameFindings(
      @ForAll("coreNodes") GeneratedNode node,
      @ForAll boolean gzip,
      @ForAll boolean encrypted,
      @ForAll boolean incrementalSecond,
      @ForAll boolean sourceLacksAParquetFile)
      throws IOException {
    InMemoryObjectStore source = new InMemoryObjectStore();
    node.writeTo(source);
    if (sourceLacksAParquetFile) {
      Optional<ObjectKey> parquet =
          node.keysOf(java.util.Set.of(ObjectKind.PARQUET)).stream().findFirst();
      if (parquet.isPresent()) {
        source.delete(parquet.get());
      }
    }
    List<Finding> live =
        notInfo(
            ConsistencyCheck.check(
                    source, KeyPrefix.ROOT, node.node(), ConsistencyCheck.Source.LIVE)
                .findings());
    boolean absentWarning =
        live.stream().anyMatch(f -> f.reason().startsWith("referenced by a snapshot but absent"));
    Statistics.label("a live Parquet file absent at the source").collect(absentWarning);
    // The path this property is about must run: a good share of tries have an absent file.
    Statistics.label("a live Parquet file absent at the source")
        .coverage(c -> c.check(true).percentage(p -> p >= 15));

    Statistics.label("encrypted").collect(encrypted);
    Statistics.label("encrypted").coverage(c -> c.check(true).percentage(p -> p >= 25));
    InMemoryObjectStore backups = new InMemoryObjectStore();
    BackupOptions.Builder options = BackupOptions.builder().backupId("b1");
    if (gzip) {
      options.compression(Compression.gzip());
    }
    LocalKey key = LocalKey.generate();
    BackupKeys keys = encrypted ? BackupKeys.of(key) : BackupKeys.NONE;
    if (encrypted) {
      options.encryption(key);
    }
    List<String> ids = new ArrayList<>(List.of("b1"));
    BackupPlan.core(node.node().toString())
        .withOptions(options.full().build())
        .execute(source, backups);
    if (incrementalSecond) {
      BackupPlan.core(node.node().toString())
          .withOptions(options.backupId("b2").build())
          .execute(source, backups);
      ids.add("b2");
    }

    for (String id : ids) {
      BackupManifest manifest =
          BackupRepository.of(backups, keys).readManifest(BackupId.of(id), 1_000_000).orElseThrow();
      assertThat(manifest.entries())
          .as("%s: every copy stored encrypted exactly when the backup is", id)
          .allSatisfy(e -> assertThat(e.stored().encoding().encrypted()).isEqualTo(encrypted));
      List<Finding> recorded = new ArrayList<>();
      for (SourceFinding f : manifest.sourceFindings().orElseThrow()) {
        recorded.add(
            new Finding(Finding.Severity.valueOf(f.severity().name()), f.key(), f.reason()));
      }
      assertThat(recorded).as("%s records the live check's findings", id).isEqualTo(live);

      List<Finding> ofBackup =
          findings(
              ConsistencyCheck.checkBackup(
                  BackupView.of(
                      backups,
                      manifest,
                      BackupRepository.of(backups, keys)
                          .dataKeys(id, manifest.entries().stream().map(e -> e.stored()).toList())),
                  KeyPrefix.ROOT,
                  manifest));
      InMemoryObjectStore target = new InMemoryObjectStore();
      RestoreResult restored =
          (encrypted
                  ? RestorePlan.of(id).withOptions(RestoreOptions.builder().keys(key).build())
                  : RestorePlan.of(id))
              .execute(backups, target);
      assertThat(findings(restored.consistency()))
          .as("%s: the restored node's findings are the backup's", id)
          .isEqualTo(ofBackup);
      assertThat(notInfo(ofBackup)).as("%s: the backup's warnings and errors", id).isEqualTo(live);
    }
  }

  private static List<Finding> findings(List<ConsistencyReport> reports) {
    List<Finding> all = new ArrayList<>();
    reports.forEach(r -> all.addAll(r.findings()));
    return all;
  }

  private static List<Finding> notInfo(List<Finding> findings) {
    return findings.stream().filter(f -> f.severity() != Finding.Severity.INFO).toList();
  }

  @Provide
  Arbitrary<GeneratedNode> coreNodes() {
    return CoreNodeArbitraries.coreNodes();
  }
}
