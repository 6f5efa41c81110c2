package io.influxbak.transfer;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import io.influxbak.store.ObjectKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.annotation.Nullable;

/**
 * Runs the steps of one phase on an executor with at most {@code parallelism} in flight, and
 * returns only when every started step has finished. After the first failure no new step starts.
 */
public final class PhaseRunner {
  /** The work for one step; returns a result to keep, or null for none. */
  public interface StepAction<T> {
    T run(CopyStep step) throws IOException;
  }

  /** What a phase produced: the non-null results of its steps, and its failures. */
  public record Outcome<T>(List<T> results, List<ObjectFailure> failures) {}

  private final Executor executor;
  private final int parallelism;
  private final CancellationHandle cancellation;
  private final String operation;

  public PhaseRunner(
      Executor executor, int parallelism, CancellationHandle cancellation, String operation) {
    this.executor = requireNonNull(executor, "executor is null");
    this.parallelism = parallelism;
    this.cancellation = requireNonNull(cancellation, "cancellation is null");
    this.operation = requireNonNull(operation, "operation is null");
  }

  /**
   * Runs every step; {@code steps} is emptied as the steps are handed out, so that a phase of
   * millions of objects does not keep its plan in memory while it copies.
   *
   * <p>{@code parallelism} workers each take the next step until none is left, rather than one task
   * per step: an incremental backup's phase of a million reused objects spent about 5 s handing a
   * task and a permit per step between threads, most of it parked and woken.
   */
  public <T> Outcome<T> run(List<CopyStep> steps, StepAction<T> action)
      throws OperationCancelledException {
    Steps<T> work = new Steps<>(steps, action);
    int workers = Math.min(parallelism, steps.size());
    Semaphore finished = new Semaphore(0);
    int started = 0;
    try {
      for (; started < workers; started++) {
        try {
          executor.execute(
              () -> {
                try {
                  work.runUntilDone();
                } finally {
                  finished.release();
                }
              });
        } catch (RejectedExecutionException e) {
          work.rejected(e);
          break;
        }
      }
      finished.acquire(started); // every worker has taken its last step
    } catch (InterruptedException e) {
      work.failed.set(true);
      finished.acquireUninterruptibly(started); // never return while a step still writes
      Thread.currentThread().interrupt();
      OperationCancelledException interrupted = new OperationCancelledException(operation);
      interrupted.initCause(e);
      throw interrupted;
    }
    steps.clear();
    cancellation.throwIfCancelled(operation);
    synchronized (work.failures) {
      return new Outcome<>(work.results, ImmutableList.copyOf(work.failures));
    }
  }

  /** The steps of one run, taken in order by its workers, and what they produced. */
  private final class Steps<T> {
    private final List<CopyStep> steps;
    private final StepAction<T> action;
    private final AtomicInteger next = new AtomicInteger();
    final List<T> results;
    final List<ObjectFailure> failures = Collections.synchronizedList(new ArrayList<>());
    final AtomicBoolean failed = new AtomicBoolean();

    Steps(List<CopyStep> steps, StepAction<T> action) {
      this.steps = steps;
      this.action = action;
      this.results = Collections.synchronizedList(new ArrayList<>(steps.size()));
    }

    /** Runs the next step until none is left; after the first failure no new step starts. */
    void runUntilDone() {
      CopyStep step;
      while ((step = take()) != null) {
        try {
          T result = action.run(step);
          if (result != null) {
            results.add(result);
          }
        } catch (Exception e) {
          failures.add(failure(step.key(), e));
          failed.set(true);
        } catch (Error e) { // the step fails visibly, and this worker's thread ends with it
          failures.add(failure(step.key(), new CopyThreadDiedException(e)));
          failed.set(true);
          throw e;
        }
      }
    }

    /** The executor refused a worker: the step it would have taken next fails with that. */
    void rejected(RejectedExecutionException e) {
      CopyStep step = take();
      if (step != null) {
        failures.add(failure(step.key(), e));
      }
      failed.set(true);
    }

    @Nullable
    private CopyStep take() {
      if (failed.get() || cancellation.isCancelled()) {
        return null;
      }
      int i = next.getAndIncrement();
      return i < steps.size() ? steps.set(i, null) : null;
    }
  }

  private static ObjectFailure failure(ObjectKey key, Exception e) {
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new ObjectFailure(key, reason, e);
  }
}
