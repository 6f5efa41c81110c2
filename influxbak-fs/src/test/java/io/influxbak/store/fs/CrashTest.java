package io.influxbak.store.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.backup.BackupResult;
import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.ObjectKind;
import io.influxbak.layout.testing.CoreNodeArbitraries;
import io.influxbak.layout.testing.GeneratedNode;
import io.influxbak.lease.LeaseSettings;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupRepository;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.testing.TrackingObjectStore;
import io.influxbak.transfer.RetryPolicy;
import io.influxbak.verify.BackupVerifier;
import io.influxbak.verify.VerifyReport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Kills a backup running in a child JVM ({@code destroyForcibly}, i.e. SIGKILL) at random moments:
 * whatever the moment, the killed backup has no manifest and every object its journal names is
 * complete and equal to its source (objects are created in place in the claimed root, so a copy in
 * flight may be partial); a resume of the killed backup completes, copies none of the objects the
 * killed run journalled, leaves every object complete, and passes deep verify.
 */
class CrashTest {
  private final Path base = Files.createTempDirectory("influxbak-crash");

  CrashTest() throws IOException {}

  @AfterEach
  void cleanUp() throws IOException {
    PathUtils.deleteDirectory(base);
  }

  @Test
  void backupKilledAtRandomMoments_journalNamesOnlyCompleteObjects_resumeCompletesAll()
      throws Exception {
    Path source = writeNode(base);
    Random random = new Random(20261124);
    int killedMidway = 0;
    int journalledTotal = 0;
    for (int round = 0; round < 6; round++) {
      Path destination = Files.createDirectory(base.resolve("destination-" + round));
      Process child =
          CrashChild.start(
              List.of(), List.of(source.toString(), destination.toString(), "node0", "crashed"));
      // Kill after a random number of completed copies: some writes are then in flight.
      boolean finished = !killAfterCopies(child, 1 + random.nextInt(150));
      killedMidway += finished ? 0 : 1;

      try (FileSystemObjectStore from = FileSystemObjectStore.open(source);
          FileSystemObjectStore to = FileSystemObjectStore.open(destination)) {
        if (finished) {
          assertEveryVisibleObjectComplete(from, to, KeyPrefix.of("crashed"));
          assertThat(BackupRepository.of(to).readManifest(BackupId.of("crashed"), 1_000_000))
              .isPresent();
          continue;
        }
        // The killed backup has no manifest, so it is never taken for a complete one.
        assertThat(BackupRepository.of(to).readManifest(BackupId.of("crashed"), 1_000_000))
            .as("manifest of the killed backup")
            .isEmpty();
        // Objects are created in place in the claimed root (a killed copy may be partial there);
        // what the journal names is complete.
        Set<ObjectKey> journalled = new HashSet<>();
        for (ManifestEntry entry : BackupRepository.of(to).readJournal(BackupId.of("crashed"))) {
          assertThat(read(to, entry.storedKey("crashed")))
              .as("journalled " + entry.key())
              .isEqualTo(read(from, entry.key()));
          if (entry.kind() == ObjectKind.PARQUET
              || entry.kind() == ObjectKind.WAL
              || entry.kind() == ObjectKind.SNAPSHOT) {
            journalled.add(entry.storedKey("crashed"));
          }
        }
        journalledTotal += journalled.size();
        TrackingObjectStore tracked = new TrackingObjectStore(to);
        BackupResult resumed =
            BackupPlan.core("node0")
                .withOptions(BackupOptions.builder().resume("crashed").lease(hoursAhead(1)).build())
                .execute(from, tracked);
        assertThat(resumed.objectCount()).isPositive();
        assertThat(resumed.resumedObjects())
            .as("the resume counts what it kept from the killed run")
            .isGreaterThanOrEqualTo(journalled.size())
            .isLessThanOrEqualTo(resumed.objectCount());
        assertThat(tracked.completedWrites())
            .as("objects the killed run journalled are not copied again")
            .noneMatch(journalled::contains);
        assertEveryVisibleObjectComplete(from, to, KeyPrefix.of("crashed"));
        // The real directory, not the store's listing (which hides temporary files).
        try (Stream<Path> files = Files.walk(destination)) {
          assertThat(files.map(f -> f.getFileName().toString()))
              .as("temporary files left in the destination after the resume")
              .noneMatch(name -> name.startsWith(".influxbak-"));
        }
        VerifyReport deep = BackupVerifier.deep(to, "crashed", 4);
        assertThat(deep.passed()).as(deep.findings().toString()).isTrue();
      }
    }
    assertThat(journalledTotal).as("objects resumes could skip").isPositive();
    assertThat(killedMidway).as("rounds whose kill landed before the backup finished").isPositive();
  }

  /**
   * A backup whose runs are each killed 3 seconds after their first copy, with the default journal
   * settings, still gains journalled objects every round (chunks are written by time, not only by
   * count), and the last resume completes it.
   */
  @Test
  void resumesKilledRepeatedly_makeProgress() throws Exception {
    Path source = Files.createDirectory(base.resolve("source"));
    GeneratedNode node =
        CoreNodeArbitraries.build(
            NodeId.of("node0"), 1, 1, 1, 800, List.of(CatalogGeneration.V3), 0, 5);
    try (FileSystemObjectStore store = FileSystemObjectStore.open(source)) {
      node.writeTo(store);
    }
    Path destination = Files.createDirectory(base.resolve("destination"));
    int journalled = 0;
    for (int round = 0; round < 3; round++) {
      List<String> arguments =
          new java.util.ArrayList<>(
              List.of(source.toString(), destination.toString(), "node0", "killed"));
      if (round > 0) {
        arguments.add("resume");
      }
      Process child =
          CrashChild.start(
              List.of(
                  "-DcopyDelayMillis=40",
                  "-DdefaultJournal=true",
                  // each round comes an hour after the last: the killed run's lease is stale
                  "-DleaseClockOffsetHours=" + round),
              arguments);
      try (java.io.BufferedReader lines =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(
                  child.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null && !line.startsWith("copied ")) {
          // wait for the first copy
        }
        assertThat(line).as("round %s copied an object", round).isNotNull();
        Thread.sleep(3_000);
        child.destroyForcibly();
      }
      child.waitFor(60, TimeUnit.SECONDS);
      try (FileSystemObjectStore to = FileSystemObjectStore.open(destination)) {
        assertThat(BackupRepository.of(to).readManifest(BackupId.of("killed"), 1_000_000))
            .as("round %s was killed before it completed", round)
            .isEmpty();
        int now = BackupRepository.of(to).readJournal(BackupId.of("killed")).size();
        assertThat(now).as("objects journalled after round %s", round).isGreaterThan(journalled);
        journalled = now;
      }
    }
    try (FileSystemObjectStore from = FileSystemObjectStore.open(source);
        FileSystemObjectStore to = FileSystemObjectStore.open(destination)) {
      BackupPlan.core("node0")
          .withOptions(BackupOptions.builder().resume("killed").lease(hoursAhead(10)).build())
          .execute(from, to);
      VerifyReport deep = BackupVerifier.deep(to, "killed", 4);
      assertThat(deep.passed()).as(deep.findings().toString()).isTrue();
    }
  }

  /**
   * Writes a node big enough that a kill lands mid-copy (4 databases x 3 tables, 6 snapshots) under
   * {@code base}/source, beside 40 Parquet files of 256 KiB that no snapshot references (a pinned
   * backup reports them as orphans and leaves them out); returns that directory.
   */
  static Path writeNode(Path base) throws IOException {
    Path source = Files.createDirectory(base.resolve("source"));
    GeneratedNode node =
        CoreNodeArbitraries.build(
            NodeId.of("node0"),
            4,
            3,
            6,
            8,
            List.of(CatalogGeneration.V2, CatalogGeneration.V3),
            2,
            17);
    try (FileSystemObjectStore store = FileSystemObjectStore.open(source)) {
      node.writeTo(store);
      for (int i = 0; i < 40; i++) {
        byte[] big = new byte[256 * 1024 + i];
        new Random(i).nextBytes(big);
        store.write(
            ObjectKey.of(String.format("node0/dbs/9/9/2026-11-24/10-%02d/0000000001.parquet", i)),
            io.influxbak.store.ObjectContent.ofBytes(big),
            io.influxbak.store.WriteMode.CREATE_NEW);
      }
    }
    return source;
  }

  /**
   * Kills {@code child} (SIGKILL) once it has printed {@code copies} "copied" lines, and waits for
   * it; returns whether it was killed (false: it ended first).
   */
  static boolean killAfterCopies(Process child, int copies)
      throws IOException, InterruptedException {
    boolean killed = false;
    try (java.io.BufferedReader lines =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(
                child.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
      int copied = 0;
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.startsWith("copied ") && ++copied == copies) {
          killed = true;
          child.destroyForcibly();
          break;
        }
      }
    }
    child.waitFor(60, TimeUnit.SECONDS);
    return killed;
  }

  /** Lease settings whose clock runs {@code hours} ahead: a killed run's lease is stale then. */
  static LeaseSettings hoursAhead(int hours) {
    return LeaseSettings.defaults()
        .withTime(
            Clock.offset(Clock.systemUTC(), Duration.ofHours(hours)), RetryPolicy.Sleeper.REAL);
  }

  private static void assertEveryVisibleObjectComplete(
      FileSystemObjectStore source, FileSystemObjectStore destination, KeyPrefix root)
      throws IOException {
    try (ObjectIterator listing = destination.list(root)) {
      while (listing.hasNext()) {
        ObjectInfo copy = listing.next();
        if (BackupRepository.isRecord(copy.key().relativeTo(root))) {
          continue; // the backup's own start marker, journal and manifest
        }
        ObjectKey original = ObjectKey.of(copy.key().relativeTo(root));
        assertThat(read(destination, copy.key()))
            .as(copy.key().toString())
            .isEqualTo(read(source, original));
      }
    }
  }

  private static byte[] read(FileSystemObjectStore store, ObjectKey key) throws IOException {
    try (InputStream in = store.open(key)) {
      return in.readAllBytes();
    }
  }
}
