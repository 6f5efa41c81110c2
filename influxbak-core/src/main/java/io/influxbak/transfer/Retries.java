package io.influxbak.transfer;

import static java.util.Objects.requireNonNull;

import java.io.IOException;

/** Runs one store action again after transient failures, per a {@link RetryPolicy}. */
public final class Retries {
  /** An action on a store that may fail transiently. */
  public interface StoreAction<T> {
    T run() throws IOException;
  }

  /** An action on a store that returns nothing and may fail transiently. */
  public interface StoreRun {
    void run() throws IOException;
  }

  private Retries() {}

  /** Runs {@code action}, again after transient failures, as {@link #retrying} does. */
  public static void running(RetryPolicy policy, String what, StoreRun action) throws IOException {
    requireNonNull(action, "action is null");
    retrying(
        policy,
        what,
        () -> {
          action.run();
          return null;
        });
  }

  public static <T> T retrying(RetryPolicy policy, String what, StoreAction<T> action)
      throws IOException {
    requireNonNull(policy, "policy is null");
    requireNonNull(what, "what is null");
    requireNonNull(action, "action is null");
    for (int attempt = 1; ; attempt++) {
      try {
        return action.run();
      } catch (IOException e) {
        if (attempt >= policy.maxAttempts() || !RetryPolicy.isTransient(e)) {
          throw e;
        }
        try {
          policy.retryAfter(what, attempt, e);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new OperationCancelledException(what);
        }
      }
    }
  }
}
