package io.influxbak.retention;

import static io.influxbak.backup.testing.RestoreCheck.assertRestores;
import static io.influxbak.backup.testing.RestoreCheck.expected;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.base.Throwables;
import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.backup.BackupResult;
import io.influxbak.encryption.BackupKeys;
import io.influxbak.encryption.LocalKey;
import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.testing.SimulatedCoreServer;
import io.influxbak.layout.testing.SimulatedCoreServer.Step;
import io.influxbak.lease.LeaseSettings;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.manifest.ManifestFormat;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupRepository;
import io.influxbak.repository.BackupSummary;
import io.influxbak.restore.RestoreOptions;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.WriteMode;
import io.influxbak.store.testing.CrashingObjectStore;
import io.influxbak.store.testing.InMemoryObjectStore;
import io.influxbak.store.testing.TrackingObjectStore;
import io.influxbak.transfer.Compression;
import io.influxbak.transfer.RetryPolicy;
import io.influxbak.transfer.TransferSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Sequences of steps over one destination: the server writes, backups run (incremental by default,
 * sometimes full or compressed), some crash part-way and some of those are resumed, prunes run with
 * random policies and sometimes crash part-way. After every step, every complete backup restores
 * byte for byte to what the source held when it completed; an incremental backup of an unchanged
 * source copies no object; a resumed backup never copies again what its journal recorded. Some
 * steps make a complete backup's manifest unreadable (a newer format) and later readable again: a
 * prune then refuses, or, told to leave it alone, deletes nothing it could reference; with its
 * manifest put back it restores byte for byte after every step.
 */
class BackupLifecyclePropertiesTest {
  private static final NodeId NODE = NodeId.of("node0");
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  /** One step of the sequence. */
  sealed interface Action permits Write, Backup, Resume, Prune_, Unreadable {}

  /** The server does these steps. */
  record Write(List<Step> steps) implements Action {}

  /**
   * A backup; it crashes at its {@code crashAt}-th change to the destination if it gets that far.
   *
   * @param full no reuse
   * @param gzip compressed copies
   */
  record Backup(boolean full, boolean gzip, Optional<Integer> crashAt) implements Action {}

  /** Resumes the newest interrupted backup, if any. */
  record Resume() implements Action {}

  /**
   * A prune keeping the last {@code keep}, crashing at its {@code crashAt}-th change if it gets
   * that far.
   */
  record Prune_(int keep, Optional<Integer> crashAt, boolean leaveUnreadable) implements Action {}

  /**
   * Makes the manifest of the {@code pick}-th complete backup unreadable (a newer formatVersion, as
   * a newer influxbak writes), or, if one already is, puts the readable one back.
   */
  record Unreadable(int pick) implements Action {}

  // 250 tries, not the default 100: at 100, a prune meeting an unreadable manifest happened 10 to
  // 13 times a run, "left alone" 2 to 10 of them, and 0 in one clean-clone run, which failed the
  // coverage check below.
  @Property(tries = 250)
  void everyRemainingBackupRestoresByteForByte(
      @ForAll("actions") List<Action> actions, @ForAll long seed, @ForAll boolean encrypted)
      throws IOException {
    // In a share of tries every backup is encrypted under one key, which every read then uses.
    LocalKey kek = LocalKey.generate();
    BackupKeys keys = encrypted ? BackupKeys.of(kek) : BackupKeys.NONE;
    RestoreOptions restoring =
        encrypted ? RestoreOptions.builder().keys(kek).build() : RestoreOptions.defaults();
    Statistics.label("encrypted").collect(encrypted);
    InMemoryObjectStore live = new InMemoryObjectStore();
    SimulatedCoreServer server = new SimulatedCoreServer(live, NODE, CatalogGeneration.V3, seed);
    InMemoryObjectStore backups = new InMemoryObjectStore();
    Map<String, SortedMap<ObjectKey, byte[]>> expected = new HashMap<>();
    Map<String, byte[]> readableManifests = new HashMap<>(); // of the backups made unreadable
    Optional<String> interrupted = Optional.empty();
    boolean changedSinceLastBackup = true;
    int hour = 0;
    int ids = 0;
    for (Action action : actions) {
      Clock clock = Clock.fixed(START.plusSeconds(3600L * 7 * hour++), ZoneOffset.UTC);
      // Seven hours on, whatever lease a crashed run left is stale and taken over.
      LeaseSettings lease = LeaseSettings.defaults().withTime(clock, RetryPolicy.Sleeper.REAL);
      if (action instanceof Write write) {
        server.queue(write.steps());
        server.drain();
        changedSinceLastBackup |= !write.steps().isEmpty();
      } else if (action instanceof Backup backup) {
        String id = "b" + (++ids);
        BackupOptions.Builder options =
            BackupOptions.builder()
                .transfer(TransferSettings.builder().clock(clock).build())
                .lease(lease)
                .backupId(id);
        if (backup.full()) {
          options.full();
        }
        if (backup.gzip()) {
          options.compression(Compression.gzip());
        }
        if (encrypted) {
          options.encryption(kek);
        }
        boolean hasParent =
            BackupRepository.of(backups, keys).list().stream().anyMatch(BackupSummary::complete);
        ObjectStore destination =
            backup
                .crashAt()
                .<ObjectStore>map(n -> new CrashingObjectStore(backups, n))
                .orElse(backups);
        try {
          BackupResult result =
              BackupPlan.core(NODE).withOptions(options.build()).execute(live, destination);
          expected.put(
              id,
              expected(
                  live,
                  BackupRepository.of(backups, keys)
                      .readManifest(BackupId.of(id), 1_000_000)
                      .orElseThrow()));
          if (!changedSinceLastBackup && hasParent && !backup.full()) {
            assertThat(result.objects())
                .as("incremental backup of an unchanged source")
                .allMatch(ManifestEntry::reused);
            Statistics.label("unchanged incremental").collect("checked");
          }
          changedSinceLastBackup = false;
        } catch (IOException e) {
          assertThat(Throwables.getCausalChain(e))
              .anyMatch(CrashingObjectStore.CrashException.class::isInstance);
          interrupted = Optional.of(id);
          Statistics.label("backup").collect("crashed");
        }
      } else if (action instanceof Resume && resumable(backups, keys, interrupted)) {
        String id = interrupted.get();
        Set<ObjectKey> journalled = new HashSet<>();
        for (ManifestEntry entry :
            BackupRepository.of(backups, keys).readJournal(BackupId.of(id))) {
          if (entry.stored().backupId().isEmpty()
              && backups.stat(entry.storedKey(id)).isPresent()) {
            journalled.add(entry.storedKey(id));
          }
        }
        TrackingObjectStore tracked = new TrackingObjectStore(backups);
        BackupOptions.Builder resuming =
            BackupOptions.builder()
                .transfer(TransferSettings.builder().clock(clock).build())
                .lease(lease)
                .resume(id);
        if (encrypted) {
          resuming.encryption(kek);
        }
        BackupPlan.core(NODE).withOptions(resuming.build()).execute(live, tracked);
        expected.put(
            id,
            expected(
                live,
                BackupRepository.of(backups, keys)
                    .readManifest(BackupId.of(id), 1_000_000)
                    .orElseThrow()));
        for (ObjectKey written : tracked.completedWrites()) {
          if (journalled.contains(written)) {
            // Only objects the server rewrites in place are copied again: their journalled copy may
            // be stale.
            assertThat(written.toString())
                .as("rewritten on resume")
                .containsAnyOf("/catalog", "/table-snapshots/", "/snapshot-checkpoints/");
          }
        }
        interrupted = Optional.empty();
        changedSinceLastBackup = false;
        Statistics.label("resume").collect("resumed");
      } else if (action instanceof Prune_ prune) {
        ObjectStore destination =
            prune
                .crashAt()
                .<ObjectStore>map(n -> new CrashingObjectStore(backups, n))
                .orElse(backups);
        Prune run =
            Prune.of(RetentionPolicy.keepLast(prune.keep()))
                .transfer(TransferSettings.builder().clock(clock).build())
                .lease(lease);
        if (prune.leaveUnreadable()) {
          run = run.leaveUnreadable();
        }
        if (encrypted) {
          run = run.keys(kek);
        }
        try {
          run.execute(destination);
          if (!readableManifests.isEmpty()) {
            assertThat(prune.leaveUnreadable()).as("pruned beside an unreadable backup").isTrue();
            Statistics.label("prune beside unreadable").collect("left alone");
          }
        } catch (UnreadableBackupsException e) {
          assertThat(prune.leaveUnreadable()).isFalse();
          assertThat(e.backupIds()).containsExactlyInAnyOrderElementsOf(readableManifests.keySet());
          Statistics.label("prune beside unreadable").collect("refused");
        } catch (IOException e) {
          assertThat(Throwables.getCausalChain(e))
              .anyMatch(CrashingObjectStore.CrashException.class::isInstance);
          Statistics.label("prune").collect("crashed");
        }
      } else if (action instanceof Unreadable unreadable && !encrypted) {
        // (an encrypted manifest cannot be edited into a newer format; plain tries cover this)
        toggleReadable(backups, unreadable.pick(), readableManifests);
        // The next incremental may build on an older backup now: it need not reuse everything.
        changedSinceLastBackup = true;
      }
      for (BackupSummary backup : BackupRepository.of(backups, keys).list()) {
        assertThat(backup.state())
            .as("%s: %s", backup.backupId(), backup.problem())
            .isNotEqualTo(BackupSummary.State.BROKEN);
        if (backup.complete()) {
          assertRestores(backups, backup.backupId(), expected.get(backup.backupId()), restoring);
        }
        if (backup.state() == BackupSummary.State.UNREADABLE) {
          assertThat(backup.problem()).hasValueSatisfying(p -> assertThat(p).contains("newer"));
        }
      }
      // A backup whose manifest was unreadable lost nothing: with its manifest readable again, it
      // restores byte for byte.
      for (Map.Entry<String, byte[]> hidden : readableManifests.entrySet()) {
        ObjectKey manifest = KeyPrefix.of(hidden.getKey()).resolve(ManifestFormat.FILE_NAME);
        byte[] unreadable = read(backups, manifest);
        backups.write(manifest, ObjectContent.ofBytes(hidden.getValue()), WriteMode.REPLACE);
        assertRestores(backups, hidden.getKey(), expected.get(hidden.getKey()));
        backups.write(manifest, ObjectContent.ofBytes(unreadable), WriteMode.REPLACE);
        Statistics.label("unreadable backup").collect("restored once readable");
      }
    }
    // The paths this property is about ran (checked over all tries).
    Statistics.label("prune beside unreadable")
        .coverage(
            c -> {
              c.check("refused").count(n -> n > 0);
              c.check("left alone").count(n -> n > 0);
            });
    Statistics.label("unreadable backup")
        .coverage(c -> c.check("restored once readable").count(n -> n > 0));
    Statistics.label("encrypted").coverage(c -> c.check(true).percentage(p -> p >= 25));
    // Every key in the destination belongs to a backup that is listed: nothing is stranded.
    Set<String> listed = new HashSet<>();
    BackupRepository.of(backups, keys).list().forEach(b -> listed.add(b.backupId()));
    for (ObjectKey key : io.influxbak.store.testing.StoreKeys.under(backups, KeyPrefix.ROOT)) {
      if (key.isUnder(io.influxbak.lease.Leases.ROOT)) {
        continue; // the lease of a run that crashed last, taken over by whichever runs next
      }
      assertThat(listed).contains(key.toString().substring(0, key.toString().indexOf('/')));
    }
  }

  /**
   * Makes the {@code pick}-th complete backup's manifest one of a newer format version, or puts
   * back the readable manifest of one made unreadable before.
   */
  private static void toggleReadable(
      InMemoryObjectStore backups, int pick, Map<String, byte[]> readableManifests)
      throws IOException {
    if (!readableManifests.isEmpty()) {
      String id = readableManifests.keySet().iterator().next();
      ObjectKey manifest = KeyPrefix.of(id).resolve(ManifestFormat.FILE_NAME);
      backups.write(
          manifest, ObjectContent.ofBytes(readableManifests.remove(id)), WriteMode.REPLACE);
      return;
    }
    List<String> complete =
        BackupRepository.of(backups).list().stream()
            .filter(BackupSummary::complete)
            .map(BackupSummary::backupId)
            .toList();
    if (complete.isEmpty()) {
      return;
    }
    String id = complete.get(pick % complete.size());
    ObjectKey manifest = KeyPrefix.of(id).resolve(ManifestFormat.FILE_NAME);
    byte[] readable = read(backups, manifest);
    String newer =
        new String(readable, StandardCharsets.UTF_8)
            .replaceFirst("\"formatVersion\"\\s*:\\s*\\d+", "\"formatVersion\" : 99");
    assertThat(newer).contains("99");
    backups.write(
        manifest, ObjectContent.ofBytes(newer.getBytes(StandardCharsets.UTF_8)), WriteMode.REPLACE);
    readableManifests.put(id, readable);
    Statistics.label("unreadable backup").collect("made");
  }

  private static byte[] read(ObjectStore store, ObjectKey key) throws IOException {
    try (InputStream in = store.open(key)) {
      return in.readAllBytes();
    }
  }

  /**
   * Whether the interrupted backup is still there to resume (not completed by a crash in its
   * clean-up, not pruned).
   */
  private static boolean resumable(
      ObjectStore backups, BackupKeys keys, Optional<String> interrupted) throws IOException {
    return interrupted.isPresent()
        && BackupRepository.of(backups, keys).list().stream()
            .anyMatch(
                b ->
                    b.backupId().equals(interrupted.get())
                        && b.state() == BackupSummary.State.INCOMPLETE);
  }

  @Provide
  Arbitrary<List<Action>> actions() {
    Arbitrary<Optional<Integer>> crash = Arbitraries.integers().between(1, 60).optional(0.25);
    Arbitrary<Action> write =
        Arbitraries.of(
                Step.WRITE,
                Step.SNAPSHOT,
                Step.DELETE_SNAPSHOTTED_WAL,
                Step.CATALOG_CHECKPOINT,
                Step.RETENTION,
                Step.SPLIT_SNAPSHOTS,
                Step.MERGE_INDEXES)
            .list()
            .ofMaxSize(5)
            .map(Write::new);
    Arbitrary<Action> backup =
        Combinators.combine(
                Arbitraries.integers().between(0, 9), Arbitraries.integers().between(0, 3), crash)
            .as((full, gzip, crashAt) -> new Backup(full == 0, gzip == 0, crashAt));
    Arbitrary<Action> prune =
        Combinators.combine(
                Arbitraries.integers().between(1, 3), crash, Arbitraries.of(true, false))
            .as(Prune_::new);
    Arbitrary<Action> unreadable = Arbitraries.integers().between(0, 9).map(Unreadable::new);
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, write),
            net.jqwik.api.Tuple.of(4, backup),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(new Resume())),
            // often enough that prunes meet unreadable manifests in many tries (the coverage
            // checks below need both of their outcomes in every run, whatever the seed)
            net.jqwik.api.Tuple.of(3, prune),
            net.jqwik.api.Tuple.of(3, unreadable))
        .list()
        .ofMinSize(3)
        .ofMaxSize(12);
  }
}
