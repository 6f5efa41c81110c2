package io.influxbak.task;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import io.influxbak.layout.CopyPhase;
import io.influxbak.layout.ObjectKind;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.store.ExpectedContent;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.transfer.CopyStep;
import io.influxbak.transfer.Listeners;
import io.influxbak.transfer.ObjectCopier;
import io.influxbak.transfer.ObjectFailure;
import io.influxbak.transfer.PhaseRunner;
import io.influxbak.transfer.PhasedTransfer;
import io.influxbak.transfer.ProgressListener;
import io.influxbak.transfer.ReportedObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Copies a phase through a {@link CopyEngine}: the driver's side of a distributed backup or
 * restore. Here, with the driver's own {@link ObjectCopier}, it decides what each step keeps
 * without a copy (a resumed backup's journal, an incremental's parent) and where each reads; the
 * rest goes out in {@link CopyTask}s of at most {@link #OBJECTS_PER_TASK} objects and {@link
 * #BYTES_PER_TASK} bytes. The engine's reports are merged only if every step shipped comes back
 * exactly once (copied, vanished or failed); anything else fails the phase naming the objects.
 */
public final class EngineCopy implements PhasedTransfer.PhaseCopy {
  /** The most objects one task copies: small enough that a retried task redoes little. */
  public static final int OBJECTS_PER_TASK = 1000;

  /** The most bytes one task copies (a single larger object is a task of its own). */
  public static final long BYTES_PER_TASK = 1L << 30;

  private final CopyEngine engine;
  private final ObjectCopier driverCopier;
  private final CopyJob job;
  private final Predicate<ObjectKind> mayVanish;
  private final Function<CopyStep, Optional<ExpectedContent>> expected;

  /**
   * @param driverCopier the copier the driver would copy with, over the stores it opened: asked
   *     what each step keeps without a copy and where it reads, never to copy
   * @param job what every task shares
   * @param mayVanish kinds the server deletes on its own (a backup's), as for a copy here
   * @param expected what each step's bytes must be, if known
   */
  public EngineCopy(
      CopyEngine engine,
      ObjectCopier driverCopier,
      CopyJob job,
      Predicate<ObjectKind> mayVanish,
      Function<CopyStep, Optional<ExpectedContent>> expected) {
    this.engine = requireNonNull(engine, "engine is null");
    this.driverCopier = requireNonNull(driverCopier, "driverCopier is null");
    this.job = requireNonNull(job, "job is null");
    this.mayVanish = requireNonNull(mayVanish, "mayVanish is null");
    this.expected = requireNonNull(expected, "expected is null");
  }

  @Override
  public PhaseRunner.Outcome<ManifestEntry> copy(
      CopyPhase phase,
      List<CopyStep> steps,
      ProgressListener progress,
      List<ReportedObject> vanished)
      throws IOException {
    List<ManifestEntry> copied = new ArrayList<>();
    List<TaskStep> shipped = new ArrayList<>();
    for (CopyStep step : steps) {
      Optional<ExpectedContent> want = expected.apply(step);
      Optional<ManifestEntry> kept;
      try {
        kept = driverCopier.reusable(step, want);
      } catch (ObjectNotFoundException e) {
        Optional<ReportedObject> gone =
            PhasedTransfer.vanishedSource(step, driverCopier.sourceKey(step), e, mayVanish);
        if (gone.isEmpty()) {
          throw e;
        }
        vanished.add(gone.get());
        continue;
      }
      if (kept.isPresent()) {
        copied.add(kept.get());
        Listeners.tell(() -> progress.objectCopied(kept.get()));
        continue;
      }
      ObjectCopier.Source source = driverCopier.source(step);
      if (source.dataKey().isPresent()) {
        throw new IllegalArgumentException(
            "Cannot copy " + step.key() + " through an engine: it is encrypted");
      }
      shipped.add(new TaskStep(step, source.key(), source.encoding(), want));
    }
    steps.clear();
    List<CopyTask> tasks = tasks(phase, shipped);
    List<TaskReport> reports = tasks.isEmpty() ? List.of() : engine.runAll(tasks);
    List<ObjectFailure> failures = new ArrayList<>();
    Set<ObjectKey> expectedKeys = new HashSet<>();
    shipped.forEach(step -> expectedKeys.add(step.step().key()));
    Map<ObjectKey, Integer> seen = new HashMap<>();
    Map<ObjectKey, ObjectKey> nodeKeyBySource = new HashMap<>();
    shipped.forEach(step -> nodeKeyBySource.put(step.source(), step.step().key()));
    for (TaskReport report : reports) {
      for (ManifestEntry entry : report.copied()) {
        seen.merge(entry.key(), 1, Integer::sum);
        copied.add(entry);
        Listeners.tell(() -> progress.objectCopied(entry));
      }
      for (ReportedObject gone : report.vanished()) {
        seen.merge(nodeKeyBySource.getOrDefault(gone.key(), gone.key()), 1, Integer::sum);
        vanished.add(gone);
      }
      for (TaskReport.Failure failure : report.failed()) {
        seen.merge(failure.key(), 1, Integer::sum);
        failures.add(
            new ObjectFailure(failure.key(), failure.reason(), new IOException(failure.reason())));
      }
    }
    checkAccounted(phase, expectedKeys, seen, failures);
    return new PhaseRunner.Outcome<>(copied, ImmutableList.copyOf(failures));
  }

  /**
   * Adds a failure for every shipped step more than one report names (a task's failed attempt must
   * not count), for any object no task was given, and, when no copy failed, for every shipped step
   * no report names (after a failure a task starts no new copy, so those are expected then).
   */
  private void checkAccounted(
      CopyPhase phase,
      Set<ObjectKey> shippedKeys,
      Map<ObjectKey, Integer> seen,
      List<ObjectFailure> failures) {
    boolean noneFailed = failures.isEmpty();
    for (ObjectKey key : shippedKeys) {
      int times = seen.getOrDefault(key, 0);
      if (times > 1 || (times == 0 && noneFailed)) {
        String reason =
            times == 0
                ? "the engine reported nothing for it in phase " + phase
                : "the engine reported it " + times + " times in phase " + phase;
        failures.add(new ObjectFailure(key, reason, new IOException(reason)));
      }
    }
    for (ObjectKey key : seen.keySet()) {
      if (!shippedKeys.contains(key)) {
        String reason = "the engine reported an object no task of phase " + phase + " copies";
        failures.add(new ObjectFailure(key, reason, new IOException(reason)));
      }
    }
  }

  private List<CopyTask> tasks(CopyPhase phase, List<TaskStep> shipped) {
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<CopyTask> tasks = new ArrayList<>();
    List<TaskStep> batch = new ArrayList<>();
    long bytes = 0;
    for (TaskStep step : shipped) {
      if (!batch.isEmpty()
          && (batch.size() >= OBJECTS_PER_TASK || bytes + step.step().size() > BYTES_PER_TASK)) {
        tasks.add(task(phase, run, tasks.size(), batch));
        batch = new ArrayList<>();
        bytes = 0;
      }
      batch.add(step);
      bytes += step.step().size();
    }
    if (!batch.isEmpty()) {
      tasks.add(task(phase, run, tasks.size(), batch));
    }
    return tasks;
  }

  private CopyTask task(CopyPhase phase, String run, int number, List<TaskStep> steps) {
    return new CopyTask(
        "task-" + run + "-" + phase.name().toLowerCase(Locale.ROOT) + "-" + number,
        phase,
        job,
        ImmutableList.copyOf(steps));
  }
}
