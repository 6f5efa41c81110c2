package io.influxbak.task;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import io.influxbak.layout.CopyPhase;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.manifest.ManifestException;
import io.influxbak.repository.BackupJournal;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.WriteMode;
import io.influxbak.transfer.CancellationHandle;
import io.influxbak.transfer.CopyExecutor;
import io.influxbak.transfer.CopySettings;
import io.influxbak.transfer.CopyStep;
import io.influxbak.transfer.CopyThreadDiedException;
import io.influxbak.transfer.ObjectCopier;
import io.influxbak.transfer.ObjectFailure;
import io.influxbak.transfer.PhaseRunner;
import io.influxbak.transfer.PhasedTransfer;
import io.influxbak.transfer.ProgressListener;
import io.influxbak.transfer.ReportedObject;
import io.influxbak.transfer.ReusableCopies;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A batch of one phase's copy steps, with everything needed to copy them in another process: the
 * {@link CopyJob} its operation's tasks share (stores by location, where copies go, how they are
 * made, the backup whose journal records them) and the steps. It travels as text ({@link
 * #encode()}, {@link #decode}); {@link #run} copies its steps wherever it is decoded, proving each
 * copy as a backup run in one process does.
 *
 * @param name the task's name, unique within its operation; a backup's task records its copies in
 *     the journal chunk {@code journal/<name>.json}
 * @param phase the phase of every step
 * @param job what the operation's tasks share
 * @param steps the steps
 */
public record CopyTask(String name, CopyPhase phase, CopyJob job, ImmutableList<TaskStep> steps) {

  /** Checks the parts. */
  public CopyTask {
    requireNonNull(name, "name is null");
    requireNonNull(phase, "phase is null");
    requireNonNull(job, "job is null");
    requireNonNull(steps, "steps is null");
    for (TaskStep step : steps) {
      checkArgument(
          step.step().phase() == phase, "step %s is not of phase %s", step.step().key(), phase);
    }
  }

  /** This task as text: what an engine ships to where it runs the task. */
  public String encode() {
    return TaskCodec.encode(this);
  }

  /**
   * The task {@link #encode()} wrote.
   *
   * @throws ManifestException if the text is not such a task
   */
  public static CopyTask decode(String text) throws ManifestException {
    return TaskCodec.decodeTask(requireNonNull(text, "text is null"));
  }

  /**
   * Copies every step, here: opens the stores from their locations, copies with the task's
   * settings, records what it copied in the backup's journal (for a backup), and reports.
   *
   * @param attempt how many attempts of this task ran before (0 for the first): a later attempt
   *     replaces what an earlier one left
   * @throws IOException if a store cannot be opened, a copy thread died (an {@link Error} while
   *     copying: {@link CopyThreadDiedException}) or left a step unaccounted for, or the journal
   *     chunk cannot be written; an object that cannot be copied is reported, not thrown
   */
  public TaskReport run(int attempt) throws IOException {
    checkArgument(attempt >= 0, "attempt must not be negative: %s", attempt);
    Map<ObjectKey, TaskStep> byKey = new HashMap<>();
    List<CopyStep> toCopy = new ArrayList<>(steps.size());
    for (TaskStep step : steps) {
      byKey.put(step.step().key(), step);
      toCopy.add(step.step());
    }
    CopyJob.Settings settings = job.settings();
    try (LocatedStores stores = LocatedStores.open(job.source(), job.destination());
        CopyExecutor executor = new CopyExecutor(Optional.empty(), settings.parallelism())) {
      ObjectStore from = stores.source();
      ObjectStore to = stores.destination();
      CancellationHandle cancellation = new CancellationHandle();
      CopySettings copying =
          new CopySettings(
              attempt == 0 ? settings.mode() : WriteMode.REPLACE,
              settings.hashes(),
              settings.retry(),
              cancellation,
              job.operation(),
              settings.compression(),
              Optional.empty(),
              ReusableCopies.NONE,
              ProgressListener.NONE);
      ObjectCopier copier =
          new ObjectCopier(
              from,
              step -> {
                TaskStep planned = byKey.get(step.key());
                return new ObjectCopier.Source(planned.source(), planned.encoding());
              },
              to,
              job.destinationRoot(),
              copying);
      List<ReportedObject> vanished = Collections.synchronizedList(new ArrayList<>());
      PhaseRunner.Outcome<ManifestEntry> outcome =
          PhasedTransfer.local(
                  copier,
                  new PhaseRunner(
                      executor.executor(), settings.parallelism(), cancellation, job.operation()),
                  kind -> settings.serverDeletesMayVanish() && kind.serverDeletes(),
                  step -> byKey.get(step.key()).expected())
              .copy(phase, toCopy, ProgressListener.NONE, vanished);
      Optional<ObjectFailure> died =
          outcome.failures().stream()
              .filter(f -> f.cause() instanceof CopyThreadDiedException)
              .findFirst();
      if (died.isPresent()) {
        // A copy thread ended with an Error (a killed executor): the attempt is unusable, not
        // the object; the engine tries again.
        throw new IOException(
            "Task "
                + name
                + " gave up this attempt: copying "
                + died.get().key()
                + ", "
                + died.get().reason()
                + "; this attempt's work is not reported",
            died.get().cause());
      }
      int accounted = outcome.results().size() + vanished.size() + outcome.failures().size();
      if (outcome.failures().isEmpty() && accounted != steps.size()) {
        // A step neither copied nor failed: the attempt is unusable, the engine tries again.
        throw new IOException(
            "Task "
                + name
                + " lost "
                + (steps.size() - accounted)
                + " of its "
                + steps.size()
                + " copies; this attempt's work is not reported");
      }
      if (job.journal().isPresent() && !outcome.results().isEmpty()) {
        BackupJournal.recordTask(to, job.journal().get(), name, outcome.results());
      }
      return new TaskReport(
          name,
          ImmutableList.copyOf(outcome.results()),
          ImmutableList.copyOf(vanished),
          outcome.failures().stream()
              .map(f -> new TaskReport.Failure(f.key(), f.reason()))
              .collect(ImmutableList.toImmutableList()));
    }
  }
}
