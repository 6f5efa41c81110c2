package io.influxbak.transfer;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.atomic.AtomicBoolean;
import javax.annotation.concurrent.ThreadSafe;

/**
 * Lets another thread stop a running backup or restore: no new copy starts, copies in flight fail
 * at their next read (publishing nothing), and the operation throws {@link
 * OperationCancelledException}. A backup stopped this way writes no manifest. Interrupting the
 * thread that runs the operation has the same effect.
 */
@ThreadSafe
public final class CancellationHandle {
  private final AtomicBoolean cancelled = new AtomicBoolean();

  /** Asks the operation to stop; safe to call more than once and from any thread. */
  public void cancel() {
    cancelled.set(true);
  }

  /** Whether {@link #cancel()} was called. */
  public boolean isCancelled() {
    return cancelled.get();
  }

  /**
   * Stops {@code operation} here if {@link #cancel()} was called.
   *
   * @throws OperationCancelledException naming {@code operation}
   */
  public void throwIfCancelled(String operation) throws OperationCancelledException {
    requireNonNull(operation, "operation is null");
    if (cancelled.get()) {
      throw new OperationCancelledException(operation);
    }
  }
}
