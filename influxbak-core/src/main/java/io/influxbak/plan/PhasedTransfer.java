package io.influxbak.plan;

import com.google.common.base.Stopwatch;
import com.google.common.collect.ImmutableList;
import io.influxbak.layout.ObjectKind;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.transfer.ExpectedContent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Runs planned steps phase by phase, in a {@link CopyOrder}: the shared driver of backup and restore. */
final class PhasedTransfer {
  /** What the phases did. */
  record Result(List<PhaseResult> phases, List<CopiedObject> copied, List<ReportedObject> vanished) {}

  private PhasedTransfer() {}

  /**
   * @param operation "backup" or "restore", for messages
   * @param mayVanish kinds the server deletes on its own: if such a source is gone when its turn comes, it is
   *     reported as vanished rather than failing the operation
   * @param expected what each step's bytes must be, if known
   * @throws TransferFailedException naming every object that failed in the first phase with a failure
   */
  static Result run(
      String operation,
      CopyOrder order,
      List<CopyStep> steps,
      ObjectCopier copier,
      PhaseRunner runner,
      Set<ObjectKind> mayVanish,
      Function<CopyStep, Optional<ExpectedContent>> expected)
      throws IOException {
    List<PhaseResult> phases = new ArrayList<>();
    List<CopiedObject> copied = new ArrayList<>(steps.size());
    List<ReportedObject> vanished = new ArrayList<>();
    for (CopyPhase phase : order.phases()) {
      List<CopyStep> phaseSteps = steps.stream().filter(step -> step.phase() == phase).toList();
      Stopwatch stopwatch = Stopwatch.createStarted();
      PhaseRunner.Outcome<StepResult> outcome =
          runner.run(
              phaseSteps,
              step -> {
                try {
                  return new StepResult(copier.copy(step, expected.apply(step)), null);
                } catch (ObjectNotFoundException e) {
                  if (mayVanish.contains(step.kind()) && e.getFile().equals(step.source().toString())) {
                    return new StepResult(
                        null,
                        new ReportedObject(
                            step.source(), step.kind(), ReportedObject.Disposition.VANISHED, "deleted by the server before it was copied"));
                  }
                  throw e;
                }
              });
      if (!outcome.failures().isEmpty()) {
        throw new TransferFailedException(operation, phase, outcome.failures());
      }
      long objects = 0;
      long bytes = 0;
      for (StepResult result : outcome.results()) {
        if (result.copied() != null) {
          copied.add(result.copied());
          objects++;
          bytes += result.copied().size();
        } else {
          vanished.add(result.vanished());
        }
      }
      phases.add(new PhaseResult(phase, objects, bytes, stopwatch.elapsed()));
    }
    return new Result(ImmutableList.copyOf(phases), ImmutableList.copyOf(copied), ImmutableList.copyOf(vanished));
  }

  private record StepResult(CopiedObject copied, ReportedObject vanished) {}
}
