package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.backup.BackupResult;
import io.influxbak.micrometer.InfluxbakMeters;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.ObjectStores;
import io.influxbak.transfer.TransferSettings;
import io.influxbak.verify.BackupVerifier;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** What an embedding application sees: the library works, and its log lines reach logback. */
class EmbeddedBackupTest {
  @TempDir Path data;
  @TempDir Path backups;

  @Test
  void backupThroughTheBom_logsReachTheHostsLogback() throws Exception {
    // influxbak ships no SLF4J binding: the host's logback is the one SLF4J found.
    assertTrue(LoggerFactory.getILoggerFactory() instanceof LoggerContext);
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    Logger influxbak = (Logger) LoggerFactory.getLogger("io.influxbak");
    influxbak.addAppender(captured);

    Files.createDirectories(data.resolve("node0/notes"));
    Files.writeString(data.resolve("node0/notes/operator.txt"), "x", StandardCharsets.UTF_8);
    Files.createDirectories(data.resolve("node0/dbs/1-db"));
    Files.write(data.resolve("node0/dbs/1-db/table.parquet"), new byte[4096]);

    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    InfluxbakMeters meters = new InfluxbakMeters(registry);
    BackupResult result;
    try (ObjectStore source = ObjectStores.open(data.toUri());
        ObjectStore destination = ObjectStores.open(backups.toUri())) {
      result =
          BackupPlan.core("node0")
              .withOptions(
                  BackupOptions.builder()
                      .withoutPinning()
                      .transfer(
                          TransferSettings.builder().progress(meters.listener("backup")).build())
                      .build())
              .execute(source, destination);
      meters.record(result);
      assertTrue(
          BackupVerifier.deep(destination, result.backupId(), 2).passed(),
          "the backup verifies deep");
    }
    assertEquals(2, result.objectCount());
    assertEquals(2.0, registry.get("influxbak.objects.copied").counter().count());

    List<String> lines = captured.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertTrue(
        lines.stream().anyMatch(l -> l.contains(result.backupId()) && l.contains("complete")),
        "influxbak logged the completed backup through logback: " + lines);
    assertTrue(
        lines.stream().anyMatch(l -> l.contains("COPIED_UNKNOWN node0/notes/operator.txt")),
        "influxbak logged the object it copied without knowing it: " + lines);
  }
}
