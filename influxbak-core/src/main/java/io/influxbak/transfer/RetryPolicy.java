package io.influxbak.transfer;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import io.influxbak.store.ContentMismatchException;
import io.influxbak.store.SecretScrubber;
import io.influxbak.store.TransientStoreException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How often, and how patiently, a copy of one object is tried again after a transient failure:
 * exponential backoff with full jitter, capped per wait and in attempts. Permanent failures are
 * never retried.
 *
 * @param maxAttempts attempts per object, the first included (1 means no retry)
 * @param initialBackoff the cap of the first wait
 * @param maxBackoff the cap of any wait
 * @param sleeper how to wait (tests pass one that records instead of sleeping)
 * @param observer hears each retry before its wait (an operation adds its {@link ProgressListener})
 */
public record RetryPolicy(
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    Sleeper sleeper,
    RetryObserver observer) {
  private static final Logger LOG = LoggerFactory.getLogger(RetryPolicy.class);

  /** 4 attempts, waits of up to 200 ms, 400 ms, 800 ms (capped at 10 s), really sleeping. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(4, Duration.ofMillis(200), Duration.ofSeconds(10), Sleeper.REAL);

  /** No retries. */
  public static final RetryPolicy NONE =
      new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Sleeper.REAL);

  /** Waits. */
  @FunctionalInterface
  public interface Sleeper {
    /**
     * Sleeps in the calling thread; an interrupt ends the wait with {@link InterruptedException}.
     */
    Sleeper REAL = duration -> TimeUnit.NANOSECONDS.sleep(duration.toNanos());

    /** Waits {@code duration}. */
    void sleep(Duration duration) throws InterruptedException;
  }

  /** Checks the parts. */
  public RetryPolicy {
    requireNonNull(observer, "observer is null");
    requireNonNull(initialBackoff, "initialBackoff is null");
    requireNonNull(maxBackoff, "maxBackoff is null");
    requireNonNull(sleeper, "sleeper is null");
    checkArgument(maxAttempts >= 1, "maxAttempts must be at least 1: %s", maxAttempts);
    checkArgument(!initialBackoff.isNegative() && !maxBackoff.isNegative(), "negative backoff");
  }

  /** A policy that nobody observes. */
  public RetryPolicy(
      int maxAttempts, Duration initialBackoff, Duration maxBackoff, Sleeper sleeper) {
    this(maxAttempts, initialBackoff, maxBackoff, sleeper, RetryObserver.NONE);
  }

  /** This policy, its retries also heard by {@code next} (after the observers it has). */
  public RetryPolicy observedBy(RetryObserver next) {
    return new RetryPolicy(
        maxAttempts, initialBackoff, maxBackoff, sleeper, observer.andThen(next));
  }

  /**
   * Whether {@code failure} may succeed on another attempt: a {@link TransientStoreException}, a
   * timeout, a dropped connection, or a stream that ended early (a truncated read). Content that
   * was read whole but hashes differently is permanent: reading it again gives the same bytes.
   */
  public static boolean isTransient(IOException failure) {
    if (failure instanceof InterruptedIOException && !(failure instanceof SocketTimeoutException)) {
      return false; // an interrupt is a cancellation, not a fault
    }
    if (failure instanceof ContentMismatchException) {
      return ((ContentMismatchException) failure).truncated();
    }
    return failure instanceof TransientStoreException
        || failure instanceof SocketTimeoutException
        || failure instanceof SocketException
        || (failure.getCause() instanceof IOException
            && failure.getCause() != failure
            && isTransient((IOException) failure.getCause()));
  }

  /**
   * Logs the retry of {@code what} after its failed attempt {@code attempt}, tells the observers,
   * and waits before the next attempt.
   */
  void retryAfter(String what, int attempt, IOException cause) throws InterruptedException {
    if (LOG.isInfoEnabled()) {
      LOG.info(
          "Retrying {} after attempt {} of {} failed: {}",
          what,
          attempt,
          maxAttempts,
          SecretScrubber.describe(cause));
    }
    Listeners.tell(() -> observer.retrying(what, attempt, cause));
    backoff(attempt);
  }

  /** Waits before attempt {@code attempt + 1} (after {@code attempt} failed attempts). */
  private void backoff(int attempt) throws InterruptedException {
    long cap =
        Math.min(maxBackoff.toNanos(), initialBackoff.toNanos() << Math.min(attempt - 1, 30));
    if (cap > 0) {
      sleeper.sleep(Duration.ofNanos(ThreadLocalRandom.current().nextLong(cap + 1)));
    }
  }
}
