package io.influxbak.transfer;

import static java.util.Objects.requireNonNull;

import java.io.IOException;

/**
 * Hears each retry a {@link RetryPolicy} grants: what failed, after which attempt, and why. Called
 * in the thread that retries, before it waits; an exception it throws is ignored.
 */
@FunctionalInterface
public interface RetryObserver {
  /** An observer that ignores every retry. */
  RetryObserver NONE = (what, failedAttempt, cause) -> {};

  /**
   * {@code what} failed on attempt {@code failedAttempt} with the transient {@code cause} and will
   * be tried again.
   */
  void retrying(String what, int failedAttempt, IOException cause);

  /** This observer, then {@code next}. */
  default RetryObserver andThen(RetryObserver next) {
    requireNonNull(next, "next is null");
    if (this == NONE) {
      return next;
    }
    return (what, failedAttempt, cause) -> {
      retrying(what, failedAttempt, cause);
      next.retrying(what, failedAttempt, cause);
    };
  }
}
