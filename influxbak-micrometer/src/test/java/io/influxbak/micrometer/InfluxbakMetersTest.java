package io.influxbak.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.backup.BackupResult;
import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.testing.CoreNodeArbitraries;
import io.influxbak.layout.testing.GeneratedNode;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.testing.FaultInjectingObjectStore;
import io.influxbak.store.testing.InMemoryObjectStore;
import io.influxbak.transfer.RetryPolicy;
import io.influxbak.transfer.TransferSettings;
import io.influxbak.verify.BackupVerifier;
import io.influxbak.verify.VerifyReport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class InfluxbakMetersTest {
  private static final Instant NOW = Instant.parse("2026-12-02T02:30:00Z");
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final InfluxbakMeters meters =
      new InfluxbakMeters(registry, Clock.fixed(NOW, ZoneOffset.UTC));

  private static GeneratedNode node() {
    return CoreNodeArbitraries.build(
        NodeId.of("node0"), 2, 2, 3, 2, List.of(CatalogGeneration.V3), 1, 7);
  }

  private BackupResult backup(InMemoryObjectStore source, InMemoryObjectStore backups, String id)
      throws IOException {
    BackupResult result =
        BackupPlan.core("node0")
            .withOptions(
                BackupOptions.builder()
                    .backupId(id)
                    .transfer(
                        TransferSettings.builder().progress(meters.listener("backup")).build())
                    .build())
            .execute(source, backups);
    meters.record(result);
    return result;
  }

  @Test
  void backups_countObjectsBytesAndTheLastSuccessPerNode() throws IOException {
    InMemoryObjectStore source = new InMemoryObjectStore();
    node().writeTo(source);
    InMemoryObjectStore backups = new InMemoryObjectStore();

    BackupResult full = backup(source, backups, "b1");
    assertThat(registry.get("influxbak.objects.copied").counter().count())
        .isEqualTo(full.objectCount());
    assertThat(registry.get("influxbak.bytes.transferred").counter().count())
        .isEqualTo(full.byteCount());
    assertThat(registry.get("influxbak.backup.bytes.copied").tag("node", "node0").counter().count())
        .isEqualTo(full.copiedByteCount());
    assertThat(registry.get("influxbak.backup.last.success").tag("node", "node0").gauge().value())
        .isEqualTo(NOW.getEpochSecond());
    assertThat(
            registry
                .get("influxbak.operation.duration")
                .tags("operation", "backup", "outcome", "success")
                .timer()
                .count())
        .isEqualTo(1);

    // An incremental backup of the unchanged node reuses everything and transfers nothing more.
    BackupResult incremental = backup(source, backups, "b2");
    assertThat(incremental.reusedObjectCount()).isEqualTo(incremental.objectCount());
    assertThat(registry.get("influxbak.bytes.transferred").counter().count())
        .isEqualTo(full.byteCount());
    assertThat(registry.get("influxbak.backup.bytes.reused").tag("node", "node0").counter().count())
        .isEqualTo(incremental.byteCount());
  }

  @Test
  void retries_areCounted() throws IOException {
    InMemoryObjectStore source = new InMemoryObjectStore();
    node().writeTo(source);
    RetryPolicy fast = new RetryPolicy(20, Duration.ZERO, Duration.ZERO, d -> {});
    BackupPlan.core("node0")
        .withOptions(
            BackupOptions.builder()
                .backupId("b1")
                .transfer(
                    TransferSettings.builder()
                        .retryPolicy(fast)
                        .progress(meters.listener("backup"))
                        .build())
                .build())
        .execute(
            new FaultInjectingObjectStore(
                source, 3, new FaultInjectingObjectStore.FaultMix(30, 0, 0, 0, 0)),
            new InMemoryObjectStore());
    assertThat(registry.get("influxbak.retries").tag("operation", "backup").counter().count())
        .isPositive();
  }

  @Test
  void verifyThatFindsProblems_countsThem_andKeepsTheLastSuccess() throws IOException {
    InMemoryObjectStore source = new InMemoryObjectStore();
    node().writeTo(source);
    InMemoryObjectStore backups = new InMemoryObjectStore();
    BackupResult result = backup(source, backups, "b1");

    VerifyReport passed =
        BackupVerifier.deep(
            backups,
            io.influxbak.repository.BackupId.of("b1"),
            TransferSettings.builder().progress(meters.listener("verify")).build());
    meters.record(passed, "mem://backups", Duration.ofSeconds(1));
    assertThat(registry.get("influxbak.objects.read").tag("operation", "verify").counter().count())
        .isEqualTo(result.objectCount());
    assertThat(
            registry
                .get("influxbak.verify.last.success")
                .tag("backups", "mem://backups")
                .gauge()
                .value())
        .isEqualTo(NOW.getEpochSecond());

    ObjectKey damaged = result.objects().get(0).storedKey("b1");
    backups.delete(damaged);
    backups.write(
        damaged,
        io.influxbak.store.ObjectContent.ofBytes(new byte[] {1, 2, 3}),
        io.influxbak.store.WriteMode.REPLACE);
    meters.record(BackupVerifier.deep(backups, "b1", 2), "mem://backups", Duration.ofSeconds(1));
    assertThat(
            registry
                .get("influxbak.verify.findings")
                .tag("backups", "mem://backups")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("influxbak.verify.last.success")
                .tag("backups", "mem://backups")
                .gauge()
                .value())
        .as("a failed verify leaves the last success where it was")
        .isEqualTo(NOW.getEpochSecond());
  }
}
