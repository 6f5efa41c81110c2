package io.influxbak.retention;

import static io.influxbak.backup.testing.RestoreCheck.assertRestores;
import static io.influxbak.backup.testing.RestoreCheck.expected;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.base.Throwables;
import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.backup.RetentionLock;
import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.testing.SimulatedCoreServer;
import io.influxbak.layout.testing.SimulatedCoreServer.Step;
import io.influxbak.lease.LeaseSettings;
import io.influxbak.lease.ManualClock;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupRepository;
import io.influxbak.repository.BackupSummary;
import io.influxbak.repository.ResumeNotPossibleException;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectLock;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.testing.CrashingObjectStore;
import io.influxbak.store.testing.InMemoryObjectStore;
import io.influxbak.transfer.RetryPolicy;
import io.influxbak.transfer.TransferSettings;
import io.influxbak.verify.BackupVerifier;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Locked backups over time, on a store that enforces locks: backups (some crashing part-way, some
 * resumed) lock for a random period, the clock moves on by random hours, prunes with random
 * policies run (some crashing part-way). After every step: no prune ever asked to delete an object
 * a lock still held; every complete backup restores byte for byte and passes a verify of its locks
 * (every object it needs locked at least as far as its manifest says). At the end, once every lock
 * has passed, a prune keeping one backup removes every other backup whose objects the kept one does
 * not use.
 */
class LockedLifecyclePropertiesTest {
  private static final NodeId NODE = NodeId.of("node0");

  /** One step of the sequence. */
  sealed interface Action permits Write, Backup, Resume, Prune_, Wait {}

  /** The server does these steps. */
  record Write(List<Step> steps) implements Action {}

  /** A backup locked for {@code lockHours}, crashing at its {@code crashAt}-th change if given. */
  record Backup(int lockHours, Optional<Integer> crashAt) implements Action {}

  /** Resumes the newest interrupted backup, if any. */
  record Resume() implements Action {}

  /** A prune keeping the last {@code keep}, crashing at its {@code crashAt}-th change if given. */
  record Prune_(int keep, Optional<Integer> crashAt) implements Action {}

  /** The clock moves on. */
  record Wait(int hours) implements Action {}

  @Property(tries = 80)
  void pruneNeverDeletesALockedObject_andLockedBackupsStayWholeAndLocked(
      @ForAll("actions") List<Action> actions, @ForAll long seed) throws IOException {
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    InMemoryObjectStore live = new InMemoryObjectStore();
    SimulatedCoreServer server = new SimulatedCoreServer(live, NODE, CatalogGeneration.V3, seed);
    server.queue(List.of(Step.WRITE, Step.SNAPSHOT));
    server.drain();
    InMemoryObjectStore locking = InMemoryObjectStore.withLocks(clock);
    long refusedToPrunes = 0; // deletes the store refused a prune: must stay 0
    TransferSettings transfer =
        TransferSettings.builder().clock(clock).retryPolicy(RetryPolicy.NONE).build();
    LeaseSettings lease = LeaseSettings.defaults().withTime(clock, RetryPolicy.Sleeper.REAL);
    Map<String, SortedMap<ObjectKey, byte[]>> expected = new HashMap<>();
    Optional<String> interrupted = Optional.empty();
    java.util.Set<String> unlockedManifestPossible = new java.util.HashSet<>();
    int ids = 0;
    for (Action action : actions) {
      if (action instanceof Write write) {
        server.queue(write.steps());
        server.drain();
      } else if (action instanceof Wait wait) {
        clock.advance(Duration.ofHours(wait.hours()));
      } else if (action instanceof Backup backup) {
        String id = "b" + (++ids);
        BackupOptions options =
            BackupOptions.builder()
                .backupId(id)
                .transfer(transfer)
                .lease(lease)
                .lock(
                    new RetentionLock(
                        ObjectLock.Mode.GOVERNANCE, Duration.ofHours(backup.lockHours())))
                .build();
        CrashingObjectStore destination =
            new CrashingObjectStore(
                locking, backup.crashAt().map(n -> (long) n).orElse(Long.MAX_VALUE));
        try {
          BackupPlan.core(NODE).withOptions(options).execute(live, destination);
          expected.put(id, expected(live, manifestOf(locking, id)));
          if (destination.crashed()) {
            // It crashed after its manifest, where the run ignores failures (the journal's
            // removal); the process is gone, its lease left, which the operator breaks.
            CrashingObjectStore.breakLeases(locking);
            Statistics.label("backup").collect("crashed after completing");
          }
        } catch (IOException e) {
          assertThat(Throwables.getCausalChain(e))
              .anyMatch(CrashingObjectStore.CrashException.class::isInstance);
          CrashingObjectStore.breakLeases(locking);
          Statistics.label("backup").collect("crashed");
          if (locking.stat(manifestKey(id)).isPresent()) {
            // Crashed after its manifest landed: complete, but perhaps with the manifest unlocked.
            expected.put(id, expected(live, manifestOf(locking, id)));
            unlockedManifestPossible.add(id);
          } else {
            interrupted = Optional.of(id);
          }
        }
      } else if (action instanceof Resume && incomplete(locking, interrupted)) {
        String id = interrupted.get();
        try {
          BackupPlan.core(NODE)
              .withOptions(
                  BackupOptions.builder()
                      .resume(id)
                      .transfer(transfer)
                      .lease(lease)
                      .lock(new RetentionLock(ObjectLock.Mode.GOVERNANCE, Duration.ofHours(30)))
                      .build())
              .execute(live, locking);
          expected.put(id, expected(live, manifestOf(locking, id)));
          Statistics.label("resume").collect("resumed");
        } catch (ResumeNotPossibleException e) {
          // The interrupted run had reached its lock step and locked what this one must replace:
          // refused, naming it; the backup stays incomplete for a prune once its locks pass.
          assertThat(e).hasMessageContaining("had already locked");
          Statistics.label("resume").collect("refused: locked by the interrupted run");
        }
        interrupted = Optional.empty();
      } else if (action instanceof Prune_ prune) {
        CrashingObjectStore destination =
            new CrashingObjectStore(
                locking, prune.crashAt().map(n -> (long) n).orElse(Long.MAX_VALUE));
        long refusedBefore = locking.refusedDeletes();
        try {
          PruneResult result =
              Prune.of(RetentionPolicy.keepLast(prune.keep()))
                  .transfer(transfer)
                  .lease(lease)
                  .removeIncompleteStartedBefore(clock.instant().minus(Duration.ofHours(48)))
                  .execute(destination);
          Statistics.label("prune")
              .collect(result.locked().isEmpty() ? "nothing locked" : "left locked objects");
          if (!result.removed().isEmpty()) {
            Statistics.label("removed").collect("a backup went");
          }
          if (destination.crashed()) {
            CrashingObjectStore.breakLeases(locking);
          }
        } catch (IOException e) {
          assertThat(Throwables.getCausalChain(e))
              .anyMatch(CrashingObjectStore.CrashException.class::isInstance);
          CrashingObjectStore.breakLeases(locking);
          Statistics.label("prune").collect("crashed");
        } finally {
          refusedToPrunes += locking.refusedDeletes() - refusedBefore;
        }
      }
      assertThat(refusedToPrunes).as("deletes of locked objects a prune asked").isZero();
      for (BackupSummary backup : BackupRepository.of(locking).list()) {
        if (backup.complete()) {
          assertRestores(locking, backup.backupId(), expected.get(backup.backupId()));
          // Every object it needs is locked as its manifest says; only a run that crashed between
          // writing its manifest and locking it may leave the manifest alone unlocked, and verify
          // says so.
          assertThat(BackupVerifier.shallow(locking, backup.backupId()).findings())
              .as("verify of %s at %s", backup.backupId(), clock.instant())
              .allSatisfy(
                  f -> {
                    assertThat(unlockedManifestPossible).contains(backup.backupId());
                    assertThat(f.key()).isEqualTo(manifestKey(backup.backupId()));
                    assertThat(f.problem())
                        .isEqualTo(io.influxbak.verify.VerifyFinding.Problem.NOT_LOCKED);
                    Statistics.label("manifest left unlocked by a crash")
                        .collect("found by verify");
                  });
        }
      }
    }
    // Every lock passes; a prune keeping one backup then leaves nothing the kept one does not use.
    clock.advance(Duration.ofDays(30));
    long refusedBeforeLast = locking.refusedDeletes();
    PruneResult last =
        Prune.of(RetentionPolicy.keepLast(1))
            .transfer(transfer)
            .lease(lease)
            .removeIncompleteStartedBefore(clock.instant())
            .execute(locking);
    if (!last.removed().isEmpty()) {
      Statistics.label("removed").collect("a backup went");
    }
    assertThat(locking.refusedDeletes()).isEqualTo(refusedBeforeLast);
    List<BackupSummary> left = BackupRepository.of(locking).list();
    Optional<BackupSummary> kept = left.stream().filter(BackupSummary::complete).findFirst();
    for (BackupSummary backup : left) {
      if (backup.complete()) {
        continue;
      }
      assertThat(backup.state()).isEqualTo(BackupSummary.State.RETIRED);
      String holder = backup.backupId();
      assertThat(kept).as("%s is left, retired, with no backup kept", holder).isPresent();
      assertThat(
              manifestOf(locking, kept.get().backupId()).entries().stream()
                  .anyMatch(e -> e.stored().holder(kept.get().backupId()).equals(holder)))
          .as("retired %s is left although the kept backup uses none of its objects", holder)
          .isTrue();
    }
    if (kept.isPresent()) {
      Statistics.label("end").collect("a backup kept");
    }
    Statistics.label("prune").coverage(c -> c.check("left locked objects").count(n -> n > 0));
    Statistics.label("removed").coverage(c -> c.check("a backup went").count(n -> n > 0));
    Statistics.label("backup").coverage(c -> c.check("crashed").count(n -> n > 0));
  }

  private static io.influxbak.manifest.BackupManifest manifestOf(ObjectStore store, String id)
      throws IOException {
    return BackupRepository.of(store).readManifest(BackupId.of(id), 1_000_000).orElseThrow();
  }

  private static ObjectKey manifestKey(String id) {
    return BackupId.of(id).root().resolve(io.influxbak.manifest.ManifestFormat.FILE_NAME);
  }

  private static boolean incomplete(ObjectStore store, Optional<String> id) throws IOException {
    return id.isPresent()
        && BackupRepository.of(store).list().stream()
            .anyMatch(
                b -> b.backupId().equals(id.get()) && b.state() == BackupSummary.State.INCOMPLETE);
  }

  @Provide
  Arbitrary<List<Action>> actions() {
    Arbitrary<Optional<Integer>> crash = Arbitraries.integers().between(1, 40).optional(0.25);
    Arbitrary<Action> write =
        Arbitraries.of(Step.WRITE, Step.SNAPSHOT, Step.DELETE_SNAPSHOTTED_WAL, Step.RETENTION)
            .list()
            .ofMaxSize(4)
            .map(Write::new);
    Arbitrary<Action> backup =
        Combinators.combine(Arbitraries.integers().between(1, 72), crash).as(Backup::new);
    Arbitrary<Action> prune =
        Combinators.combine(Arbitraries.integers().between(1, 3), crash).as(Prune_::new);
    Arbitrary<Action> wait = Arbitraries.integers().between(1, 48).map(Wait::new);
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, write),
            net.jqwik.api.Tuple.of(4, backup),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(new Resume())),
            net.jqwik.api.Tuple.of(3, prune),
            net.jqwik.api.Tuple.of(3, wait))
        .list()
        .ofMinSize(3)
        .ofMaxSize(12);
  }
}
