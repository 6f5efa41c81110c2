package io.influxbak.transfer;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.base.Stopwatch;
import com.google.common.collect.ImmutableList;
import io.influxbak.layout.CopyOrder;
import io.influxbak.layout.CopyPhase;
import io.influxbak.layout.ObjectKind;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.store.ExpectedContent;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Runs planned steps phase by phase, in a {@link CopyOrder}: the shared driver of backup and
 * restore.
 */
public final class PhasedTransfer {
  /** What the phases did. */
  public record Result(
      List<PhaseResult> phases, List<ManifestEntry> copied, List<ReportedObject> vanished) {}

  private PhasedTransfer() {}

  /**
   * How the steps of one phase are copied: here on a {@link PhaseRunner} ({@link #local}), or by an
   * engine that runs them elsewhere.
   */
  @FunctionalInterface
  public interface PhaseCopy {
    /**
     * Copies every step of {@code phase} (or as many as it can: after the first failure it may stop
     * starting new ones), telling {@code progress} of each object copied, and returns only when no
     * step is copying any more.
     *
     * @param steps the phase's steps; emptied by this call, so that their memory can be reclaimed
     * @param vanished where a source the server deleted before its copy is reported, for kinds the
     *     server deletes on its own
     * @return the entries copied and the objects that failed
     */
    PhaseRunner.Outcome<ManifestEntry> copy(
        CopyPhase phase,
        List<CopyStep> steps,
        ProgressListener progress,
        List<ReportedObject> vanished)
        throws IOException;
  }

  /**
   * Copies here, with {@code copier}, on {@code runner}'s threads.
   *
   * @param mayVanish kinds the server deletes on its own: if such a source is gone when its turn
   *     comes, it is reported as vanished rather than failing the operation
   * @param expected what each step's bytes must be, if known
   */
  public static PhaseCopy local(
      ObjectCopier copier,
      PhaseRunner runner,
      Predicate<ObjectKind> mayVanish,
      Function<CopyStep, Optional<ExpectedContent>> expected) {
    requireNonNull(copier, "copier is null");
    requireNonNull(runner, "runner is null");
    requireNonNull(mayVanish, "mayVanish is null");
    requireNonNull(expected, "expected is null");
    return (phase, steps, progress, vanished) ->
        runner.run(
            steps,
            step -> {
              try {
                ManifestEntry object = copier.copy(step, expected.apply(step));
                Listeners.tell(() -> progress.objectCopied(object));
                return object;
              } catch (ObjectNotFoundException e) {
                Optional<ReportedObject> gone =
                    vanishedSource(step, copier.sourceKey(step), e, mayVanish);
                if (gone.isPresent()) {
                  vanished.add(gone.get());
                  return null;
                }
                throw e;
              }
            });
  }

  /**
   * The report of a source the server deleted before {@code step} copied it, when {@code missing}
   * says so and the step's kind may vanish; empty when the failure stands.
   */
  public static Optional<ReportedObject> vanishedSource(
      CopyStep step,
      ObjectKey source,
      ObjectNotFoundException missing,
      Predicate<ObjectKind> mayVanish) {
    requireNonNull(step, "step is null");
    requireNonNull(source, "source is null");
    requireNonNull(missing, "missing is null");
    requireNonNull(mayVanish, "mayVanish is null");
    if (mayVanish.test(step.kind()) && source.toString().equals(missing.getFile())) {
      return Optional.of(
          new ReportedObject(
              source,
              step.kind(),
              ReportedObject.Disposition.VANISHED,
              "deleted by the server before it was copied"));
    }
    return Optional.empty();
  }

  /**
   * @param operation "backup" or "restore", for messages
   * @param steps the planned steps; emptied by this call, so that their memory can be reclaimed
   * @param progress hears each phase and object
   * @param phaseCopy copies each phase's steps
   * @throws TransferFailedException naming every object that failed in the first phase with a
   *     failure
   */
  public static Result run(
      String operation,
      CopyOrder order,
      List<CopyStep> steps,
      ProgressListener progress,
      PhaseCopy phaseCopy)
      throws IOException {
    List<PhaseResult> phases = new ArrayList<>();
    List<ManifestEntry> copied = new ArrayList<>();
    List<ReportedObject> vanished = new ArrayList<>();
    // Group once, and drop each phase's steps when it is done: a plan can hold millions of objects.
    Map<CopyPhase, List<CopyStep>> byPhase = new EnumMap<>(CopyPhase.class);
    for (CopyStep step : steps) {
      byPhase.computeIfAbsent(step.phase(), p -> new ArrayList<>()).add(step);
    }
    steps.clear();
    for (CopyPhase phase : byPhase.keySet()) {
      // A step whose phase the order does not run would be dropped silently: refuse the plan
      // instead.
      checkArgument(
          order.phases().contains(phase),
          "Phase %s has objects but is not in the copy order %s",
          phase,
          order.phases());
    }
    for (CopyPhase phase : order.phases()) {
      List<CopyStep> phaseSteps =
          byPhase.containsKey(phase) ? byPhase.remove(phase) : new ArrayList<>();
      Stopwatch stopwatch = Stopwatch.createStarted();
      Listeners.tell(
          () ->
              progress.phaseStarted(
                  phase, phaseSteps.size(), phaseSteps.stream().mapToLong(CopyStep::size).sum()));
      List<ReportedObject> phaseVanished = Collections.synchronizedList(new ArrayList<>());
      PhaseRunner.Outcome<ManifestEntry> outcome =
          phaseCopy.copy(phase, phaseSteps, progress, phaseVanished);
      if (!outcome.failures().isEmpty()) {
        if (outcome.failures().stream()
            .allMatch(f -> f.cause() instanceof OperationCancelledException)) {
          throw (OperationCancelledException) outcome.failures().get(0).cause();
        }
        throw new TransferFailedException(operation, phase, outcome.failures());
      }
      long bytes = 0;
      for (ManifestEntry result : outcome.results()) {
        bytes += result.size();
      }
      long objects = outcome.results().size();
      copied.addAll(outcome.results());
      vanished.addAll(phaseVanished);
      PhaseResult phaseResult = new PhaseResult(phase, objects, bytes, stopwatch.elapsed());
      phases.add(phaseResult);
      Listeners.tell(() -> progress.phaseCompleted(phaseResult));
    }
    return new Result(
        ImmutableList.copyOf(phases), ImmutableList.copyOf(copied), ImmutableList.copyOf(vanished));
  }
}
