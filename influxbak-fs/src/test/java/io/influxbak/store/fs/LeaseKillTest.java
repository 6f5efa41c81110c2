package io.influxbak.store.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.testing.CoreNodeArbitraries;
import io.influxbak.layout.testing.GeneratedNode;
import io.influxbak.lease.LeaseHeldException;
import io.influxbak.lease.LeaseSettings;
import io.influxbak.lease.LeaseState;
import io.influxbak.lease.Leases;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupRepository;
import io.influxbak.verify.BackupVerifier;
import io.influxbak.verify.VerifyReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A lease holder in a child JVM, killed ({@code SIGKILL}) or stopped ({@code SIGSTOP}) mid-backup:
 * the next run is refused while the lease is fresh or only expired, takes it over once it is past
 * its expiry by the margin, and a stopped holder that wakes after the takeover stops before its
 * next change and writes no manifest.
 */
class LeaseKillTest {
  private static final Duration LEASE = Duration.ofMillis(2_000);
  private static final Duration MARGIN = Duration.ofMillis(1_500);

  private final Path base = Files.createTempDirectory("influxbak-lease");
  private Path source;
  private Path destination;

  LeaseKillTest() throws IOException {}

  @BeforeEach
  void node() throws IOException {
    source = Files.createDirectory(base.resolve("source"));
    destination = Files.createDirectory(base.resolve("destination"));
    GeneratedNode node =
        CoreNodeArbitraries.build(
            NodeId.of("node0"), 1, 1, 1, 300, List.of(CatalogGeneration.V3), 0, 5);
    try (FileSystemObjectStore store = FileSystemObjectStore.open(source)) {
      node.writeTo(store);
    }
  }

  @AfterEach
  void cleanUp() throws IOException {
    PathUtils.deleteDirectory(base);
  }

  @Test
  void killedHolder_isTakenOverAfterExpiryByTheMargin_andNotBefore() throws Exception {
    Process child = startBackup();
    awaitFirstCopy(child);
    long pid = child.pid();
    child.destroyForcibly();
    child.waitFor(60, TimeUnit.SECONDS);

    try (FileSystemObjectStore from = FileSystemObjectStore.open(source);
        FileSystemObjectStore to = FileSystemObjectStore.open(destination)) {
      LeaseState left = Leases.in(to, settings()).list().get(0);
      assertThat(left.name()).isEqualTo("backup/killed.json");
      assertThat(left.record().orElseThrow().pid()).isEqualTo(pid);
      Instant until = left.record().orElseThrow().until();

      // Fresh, then expired but within the margin: refused, naming the killed holder.
      int refusals = 0;
      while (Instant.now().isBefore(until.plus(MARGIN).minusMillis(200))) {
        assertThatThrownBy(() -> resume(from, to))
            .isInstanceOf(LeaseHeldException.class)
            .hasMessageContaining("backup of killed")
            .hasMessageContaining("pid " + pid);
        refusals++;
        Thread.sleep(100);
      }
      assertThat(refusals).as("refusals before the lease was stale").isGreaterThan(3);

      // Past the margin: taken over, and the resumed backup completes.
      Thread.sleep(
          Math.max(0, Duration.between(Instant.now(), until.plus(MARGIN)).toMillis() + 50));
      Instant takenAt = Instant.now();
      resume(from, to);
      assertThat(takenAt).isAfterOrEqualTo(until.plus(MARGIN));
      VerifyReport deep = BackupVerifier.deep(to, "killed", 4);
      assertThat(deep.passed()).as(deep.findings().toString()).isTrue();
      assertThat(Leases.in(to, settings()).list()).as("leases after the resume").isEmpty();
    }
  }

  @Test
  void stoppedHolder_wakingAfterATakeover_stopsAndWritesNoManifest() throws Exception {
    Process child = startBackup();
    awaitFirstCopy(child);
    signal(child, "STOP");
    try (FileSystemObjectStore from = FileSystemObjectStore.open(source);
        FileSystemObjectStore to = FileSystemObjectStore.open(destination)) {
      Instant until = Leases.in(to, settings()).list().get(0).record().orElseThrow().until();
      Thread.sleep(
          Math.max(0, Duration.between(Instant.now(), until.plus(MARGIN)).toMillis() + 100));
      resume(from, to); // takes the stalled holder's lease over and completes the backup
      assertThat(BackupRepository.of(to).readManifest(BackupId.of("killed"), 1_000_000))
          .isPresent();
      byte[] manifest = Files.readAllBytes(destination.resolve("killed/manifest.json"));

      signal(child, "CONT");
      List<String> output = new ArrayList<>();
      try (BufferedReader lines = reader(child)) {
        for (String line; (line = lines.readLine()) != null; ) {
          output.add(line);
        }
      }
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).as("the woken holder fails").isNotZero();
      assertThat(String.join("\n", output))
          .contains("LeaseLostException")
          .contains("taken over or broken by another run")
          .doesNotContain("done");
      assertThat(Files.readAllBytes(destination.resolve("killed/manifest.json")))
          .as("the resumed run's manifest, untouched")
          .isEqualTo(manifest);
      VerifyReport deep = BackupVerifier.deep(to, "killed", 4);
      assertThat(deep.passed()).as(deep.findings().toString()).isTrue();
    } finally {
      child.destroyForcibly();
    }
  }

  private static LeaseSettings settings() {
    return LeaseSettings.defaults().withDuration(LEASE).withTakeoverMargin(MARGIN);
  }

  private static void resume(FileSystemObjectStore from, FileSystemObjectStore to)
      throws IOException {
    BackupPlan.core("node0")
        .withOptions(BackupOptions.builder().resume("killed").lease(settings()).build())
        .execute(from, to);
  }

  private Process startBackup() throws IOException {
    return CrashChild.start(
        List.of("-DcopyDelayMillis=20", "-DleaseMillis=" + LEASE.toMillis()),
        List.of(source.toString(), destination.toString(), "node0", "killed"));
  }

  private static void awaitFirstCopy(Process child) throws IOException {
    BufferedReader lines = reader(child);
    String line;
    while ((line = lines.readLine()) != null && !line.startsWith("copied ")) {
      // planning
    }
    assertThat(line).as("the child copied an object").isNotNull();
  }

  private static BufferedReader reader(Process child) {
    return new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
  }

  private static void signal(Process child, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid())).start();
    assertThat(kill.waitFor()).as("kill -%s", signal).isZero();
  }
}
