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
   */
  public <T> Outcome<T> run(List<CopyStep> steps, StepAction<T> action)
      throws OperationCancelledException {
    List<T> results = Collections.synchronizedList(new ArrayList<>(steps.size()));
    List<ObjectFailure> failures = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean failed = new AtomicBoolean();
    Semaphore slots = new Semaphore(parallelism);
    try {
      for (int i = 0; i < steps.size(); i++) {
        CopyStep step = steps.set(i, null);
        slots.acquire();
        if (failed.get() || cancellation.isCancelled()) {
          slots.release();
          break;
        }
        try {
          executor.execute(
              () -> {
                try {
                  T result = action.run(step);
                  if (result != null) {
                    results.add(result);
                  }
                } catch (Exception e) {
                  failures.add(failure(step.key(), e));
                  failed.set(true);
                } finally {
                  slots.release();
                }
              });
        } catch (RejectedExecutionException e) {
          slots.release();
          failures.add(failure(step.key(), e));
          failed.set(true);
          break;
        }
      }
      slots.acquire(parallelism); // wait for the steps in flight
      slots.release(parallelism);
    } catch (InterruptedException e) {
      failed.set(true);
      slots.acquireUninterruptibly(parallelism); // never return while a step still writes
      Thread.currentThread().interrupt();
      OperationCancelledException interrupted = new OperationCancelledException(operation);
      interrupted.initCause(e);
      throw interrupted;
    }
    steps.clear();
    cancellation.throwIfCancelled(operation);
    synchronized (failures) {
      return new Outcome<>(results, ImmutableList.copyOf(failures));
    }
  }

  private static ObjectFailure failure(ObjectKey key, Exception e) {
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new ObjectFailure(key, reason, e);
  }
}
