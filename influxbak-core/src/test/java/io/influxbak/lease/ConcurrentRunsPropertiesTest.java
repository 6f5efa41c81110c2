package io.influxbak.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.testing.CoreNodeArbitraries;
import io.influxbak.layout.testing.GeneratedNode;
import io.influxbak.manifest.BackupManifest;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupRepository;
import io.influxbak.repository.BackupSummary;
import io.influxbak.restore.RestorePlan;
import io.influxbak.retention.Prune;
import io.influxbak.retention.RetentionPolicy;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.WriteMode;
import io.influxbak.store.testing.ForwardingObjectStore;
import io.influxbak.store.testing.InMemoryObjectStore;
import io.influxbak.transfer.RetryPolicy;
import io.influxbak.transfer.TransferSettings;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.annotation.Nullable;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Backups, resumes and prunes run against one destination, interleaved store call by store call by
 * a deterministic scheduler (one run moves at a time, chosen by a seeded random), while the clock
 * moves ten seconds a step and some runs stall (are not scheduled) past their lease's expiry and
 * margin (a stall starts only before a call that is not a change of data: a change already past its
 * lease check when its process stops is the one window a lease cannot close, and the README names
 * it). After every step, every complete backup's objects are all there as its manifest says (and
 * every few steps, and at the end, it restores byte for byte); no delete ever removes an object a
 * complete backup references; every run ends completed or with a typed refusal or loss.
 */
class ConcurrentRunsPropertiesTest {
  private static final Duration STEP = Duration.ofSeconds(10);

  /** A run to start at a step: a backup (new id), a resume (of an earlier id), or a prune. */
  record Run(String kind, int startAt, int keep) {}

  /**
   * Run {@code run} is not scheduled for {@code length} steps once it made {@code afterOwnSteps}.
   */
  record Stall(int run, int afterOwnSteps, int length) {}

  @Property(tries = 60)
  void interleavedRuns_neverBreakACompleteBackup(
      @ForAll("runs") List<Run> runs,
      @ForAll("stalls") List<Stall> stalls,
      @ForAll boolean taker,
      @ForAll long seed)
      throws Exception {
    GeneratedNode node =
        CoreNodeArbitraries.build(
            NodeId.of("node0"), 1, 2, 2, 3, List.of(CatalogGeneration.V3), 0, seed);
    InMemoryObjectStore source = new InMemoryObjectStore();
    node.writeTo(source);
    InMemoryObjectStore backups = new InMemoryObjectStore();
    ManualClock clock = new ManualClock(Instant.parse("2026-12-01T00:00:00Z"));
    Scheduler scheduler = new Scheduler();
    List<String> violations = new ArrayList<>();
    Random random = new Random(seed);

    List<Scheduler.Task> tasks = new ArrayList<>();
    boolean[] pendingChange = new boolean[runs.size() + 1];
    List<String> ids = new ArrayList<>();
    AtomicReference<String> takerTarget = new AtomicReference<>();
    List<Run> all = new ArrayList<>(runs);
    if (taker) {
      // Started once a stalled run has been stalled past its lease and margin: it resumes that
      // run's backup, or (for a stalled prune) starts a backup, and so meets the stale lease.
      all.add(new Run("taker", Integer.MAX_VALUE, 2));
    }
    int backupsStarted = 0;
    for (Run run : all) {
      int index = tasks.size();
      ObjectStore gated = new GatedStore(backups, scheduler, index, violations, pendingChange);
      LeaseSettings lease =
          LeaseSettings.defaults()
              .withMaxWait(Duration.ofMinutes(30))
              .withTime(clock, duration -> scheduler.pause(index));
      TransferSettings transfer =
          TransferSettings.builder()
              .parallelism(1)
              .executor(Runnable::run)
              .clock(clock)
              .retryPolicy(RetryPolicy.NONE)
              .build();
      // Every backup run is the same call with its own options, built when the run starts.
      java.util.function.Function<
              java.util.function.Supplier<BackupOptions.Builder>, Scheduler.Body>
          backup =
              options ->
                  () ->
                      BackupPlan.core("node0")
                          .withOptions(
                              options.get().journalEvery(2).transfer(transfer).lease(lease).build())
                          .execute(source, gated);
      String id;
      Scheduler.Body body;
      switch (run.kind()) {
        case "backup" -> {
          id = "b" + (++backupsStarted);
          String backupId = id;
          body = backup.apply(() -> BackupOptions.builder().backupId(backupId));
        }
        case "resume" -> {
          id = "b" + Math.max(1, backupsStarted);
          String backupId = id;
          body = backup.apply(() -> BackupOptions.builder().resume(backupId));
        }
        case "taker" -> {
          id = "taker";
          body =
              backup.apply(
                  () ->
                      takerTarget.get().equals("prune")
                          ? BackupOptions.builder().backupId("t")
                          : BackupOptions.builder().resume(takerTarget.get()));
        }
        default -> {
          id = "prune";
          body =
              () ->
                  Prune.of(RetentionPolicy.keepLast(run.keep()))
                      .transfer(transfer)
                      .lease(lease.withMaxWait(Duration.ofMinutes(run.keep())))
                      .execute(gated);
        }
      }
      tasks.add(scheduler.task(run.kind() + " " + id, run.startAt(), body));
      ids.add(id);
    }

    int[] ownSteps = new int[tasks.size()];
    int[] stalledUntil = new int[tasks.size()];
    int[] stalledFrom = new int[tasks.size()];
    for (int step = 0; !scheduler.allDone(); step++) {
      int at = step;
      scheduler.startDue(step);
      for (Stall stall : stalls) {
        int run = stall.run() % tasks.size();
        if (ownSteps[run] >= stall.afterOwnSteps()
            && stalledUntil[run] == 0
            && !pendingChange[run]) {
          stalledFrom[run] = step;
          stalledUntil[run] = step + stall.length(); // mid-run, for longer than lease and margin
        }
        if (taker
            && stalledUntil[run] > step
            && step - stalledFrom[run] >= 62
            && !ids.get(run).equals("taker")
            && takerTarget.compareAndSet(null, ids.get(run))) {
          scheduler.startAt(tasks.get(tasks.size() - 1), step);
        }
      }
      if (taker
          && takerTarget.get() == null
          && scheduler.allDoneBut(tasks.get(tasks.size() - 1))
          && takerTarget.compareAndSet(null, "b1")) {
        scheduler.startAt(tasks.get(tasks.size() - 1), step); // no stall lasted: resume b1 late
      }
      List<Integer> runnable =
          scheduler.ready().stream().filter(i -> stalledUntil[i] <= at).toList();
      clock.advance(STEP);
      if (runnable.isEmpty()) {
        continue; // nothing started yet, or every ready run stalls this step: time passes
      }
      int chosen = runnable.get(random.nextInt(runnable.size()));
      ownSteps[chosen]++;
      scheduler.step(chosen);
      checkCompleteBackups(backups, violations, step % 15 == 0 ? source : null);
      assertThat(violations).as("after step %s", step).isEmpty();
      assertThat(step).as("steps").isLessThan(20_000);
    }
    checkCompleteBackups(backups, violations, source);
    assertThat(violations).isEmpty();

    for (Scheduler.Task task : tasks) {
      Throwable failure = task.failure();
      String outcome =
          failure == null
              ? "completed"
              : failure instanceof LeaseHeldException
                  ? "refused by a lease"
                  : failure instanceof LeaseLostException ? "lost its lease" : "other";
      if (outcome.equals("other")) {
        // a resume of an id that has a manifest or no start, or a new backup over an existing id
        assertThat(failure.getClass().getName())
            .as(task.name() + ": " + failure)
            .containsAnyOf(
                "ResumeNotPossibleException",
                "DestinationNotEmptyException",
                "BackupRetiredException",
                "ObjectAlreadyExistsException");
      }
      Statistics.label("outcome").collect(outcome);
    }
    boolean lost = tasks.stream().anyMatch(t -> t.failure() instanceof LeaseLostException);
    boolean refused = tasks.stream().anyMatch(t -> t.failure() instanceof LeaseHeldException);
    Statistics.label("a stalled holder lost its lease").collect(lost);
    Statistics.label("a run was refused").collect(refused);
    Statistics.label("a run waited for a lease").collect(scheduler.pauses() > 0);
    Statistics.label("a stalled holder lost its lease")
        .coverage(c -> c.check(true).percentage(p -> p >= 5));
    Statistics.label("a run was refused").coverage(c -> c.check(true).percentage(p -> p >= 20));
    Statistics.label("a run waited for a lease")
        .coverage(c -> c.check(true).percentage(p -> p >= 10));
  }

  /**
   * Every complete backup (a manifest, not retired) has each object its manifest references, with
   * its size; with {@code source}, each restores byte for byte to it.
   */
  private static void checkCompleteBackups(
      InMemoryObjectStore backups, List<String> violations, @Nullable InMemoryObjectStore source)
      throws IOException {
    for (BackupSummary summary : BackupRepository.of(backups).list()) {
      if (summary.state() != BackupSummary.State.COMPLETE
          && summary.state() != BackupSummary.State.BROKEN) {
        continue;
      }
      if (summary.state() == BackupSummary.State.BROKEN) {
        violations.add("backup " + summary.backupId() + " is broken: " + summary.problem());
        continue;
      }
      BackupManifest manifest =
          BackupRepository.of(backups)
              .readManifest(BackupId.of(summary.backupId()), 1_000_000)
              .orElseThrow();
      for (ManifestEntry entry : manifest.entries()) {
        ObjectKey stored = entry.storedKey(manifest.backupId());
        Optional<ObjectInfo> info = backups.stat(stored);
        if (info.isEmpty() || info.get().size() != entry.stored().size()) {
          violations.add(manifest.backupId() + " lost " + stored);
        }
      }
      if (source != null) {
        InMemoryObjectStore target = new InMemoryObjectStore();
        RestorePlan.of(manifest.backupId()).execute(backups, target);
        for (ManifestEntry entry : manifest.entries()) {
          if (!java.util.Arrays.equals(
              target.bytes(entry.key()).orElse(null), source.bytes(entry.key()).orElse(null))) {
            violations.add(manifest.backupId() + " restores " + entry.key() + " differently");
          }
        }
      }
    }
  }

  /** The store a run sees: each call waits for the run's turn; deletes are checked first. */
  private static final class GatedStore extends ForwardingObjectStore {
    private final InMemoryObjectStore backups;
    private final Scheduler scheduler;
    private final int run;
    private final List<String> violations;
    private final boolean[] pendingChange;

    GatedStore(
        InMemoryObjectStore backups,
        Scheduler scheduler,
        int run,
        List<String> violations,
        boolean[] pendingChange) {
      super(backups);
      this.pendingChange = pendingChange;
      this.backups = backups;
      this.scheduler = scheduler;
      this.run = run;
      this.violations = violations;
    }

    private void turn() throws IOException {
      turn(false);
    }

    /**
     * Waits for the run's turn; {@code change} says whether the call waiting is a change of data,
     * which the run's lease guard checked before it: a stall is started only before other calls
     * (see the class comment on in-flight changes).
     */
    private void turn(boolean change) throws IOException {
      pendingChange[run] = change;
      scheduler.gate(run);
    }

    @Override
    public ObjectIterator list(KeyPrefix prefix) throws IOException {
      turn();
      return super.list(prefix);
    }

    @Override
    public Set<KeyPrefix> childPrefixes(KeyPrefix prefix) throws IOException {
      turn();
      return super.childPrefixes(prefix);
    }

    @Override
    public Optional<ObjectInfo> stat(ObjectKey key) throws IOException {
      turn();
      return super.stat(key);
    }

    @Override
    public InputStream open(ObjectKey key) throws IOException {
      turn();
      return super.open(key);
    }

    @Override
    public ObjectInfo write(ObjectKey key, ObjectContent content, WriteMode mode)
        throws IOException {
      turn(!key.isUnder(Leases.ROOT));
      return super.write(key, content, mode);
    }

    @Override
    public ObjectInfo copy(ObjectKey source, ObjectKey target, WriteMode mode) throws IOException {
      turn(!target.isUnder(Leases.ROOT));
      return super.copy(source, target, mode);
    }

    @Override
    public ObjectInfo replaceIfVersion(ObjectKey key, ObjectContent content, String version)
        throws IOException {
      turn();
      return super.replaceIfVersion(key, content, version);
    }

    @Override
    public void deleteIfVersion(ObjectKey key, String version) throws IOException {
      turn();
      super.deleteIfVersion(key, version);
    }

    @Override
    public void delete(ObjectKey key) throws IOException {
      turn(!key.isUnder(Leases.ROOT));
      if (referencedByACompleteBackup(key)) {
        violations.add("deleted " + key + ", which a complete backup references");
      }
      super.delete(key);
    }

    private boolean referencedByACompleteBackup(ObjectKey key) throws IOException {
      for (BackupSummary summary : BackupRepository.of(backups).list()) {
        if (summary.state() == BackupSummary.State.COMPLETE) {
          Optional<BackupManifest> manifest =
              BackupRepository.of(backups).readManifest(BackupId.of(summary.backupId()), 1_000_000);
          if (manifest.isPresent()
              && manifest.get().entries().stream()
                  .anyMatch(e -> e.storedKey(summary.backupId()).equals(key))) {
            return true;
          }
        }
      }
      return false;
    }
  }

  @Provide
  Arbitrary<List<Run>> runs() {
    Arbitrary<Run> run =
        Combinators.combine(
                Arbitraries.of("backup", "backup", "resume", "resume", "prune"),
                Arbitraries.integers().between(0, 120),
                Arbitraries.integers().between(0, 2))
            .as((kind, startAt, keep) -> new Run(kind, startAt, keep + 1));
    return run.list().ofMinSize(3).ofMaxSize(6);
  }

  @Provide
  Arbitrary<List<Stall>> stalls() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 5),
            Arbitraries.integers().between(3, 40),
            Arbitraries.integers().between(61, 160))
        .as(Stall::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(2);
  }
}
