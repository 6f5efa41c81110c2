package io.influxbak.plan;

import java.io.IOException;

/** Runs one store action again after transient failures, per a {@link RetryPolicy}. */
final class Retries {
  /** An action on a store that may fail transiently. */
  interface StoreAction<T> {
    T run() throws IOException;
  }

  private Retries() {}

  static <T> T retrying(RetryPolicy policy, String what, StoreAction<T> action) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return action.run();
      } catch (IOException e) {
        if (attempt >= policy.maxAttempts() || !RetryPolicy.isTransient(e)) {
          throw e;
        }
        try {
          policy.backoff(attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new OperationCancelledException(what);
        }
      }
    }
  }
}
