package io.influxbak.transfer;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import io.influxbak.store.ContentMismatchException;
import io.influxbak.store.TransientStoreException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * How often, and how patiently, a copy of one object is tried again after a transient failure:
 * exponential backoff with full jitter, capped per wait and in attempts. Permanent failures are
 * never retried.
 *
 * @param maxAttempts attempts per object, the first included (1 means no retry)
 * @param initialBackoff the cap of the first wait
 * @param maxBackoff the cap of any wait
 * @param sleeper how to wait (tests pass one that records instead of sleeping)
 */
public record RetryPolicy(
    int maxAttempts, Duration initialBackoff, Duration maxBackoff, Sleeper sleeper) {
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
    requireNonNull(initialBackoff, "initialBackoff is null");
    requireNonNull(maxBackoff, "maxBackoff is null");
    requireNonNull(sleeper, "sleeper is null");
    checkArgument(maxAttempts >= 1, "maxAttempts must be at least 1: %s", maxAttempts);
    checkArgument(!initialBackoff.isNegative() && !maxBackoff.isNegative(), "negative backoff");
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

  /** Waits before attempt {@code attempt + 1} (after {@code attempt} failed attempts). */
  void backoff(int attempt) throws InterruptedException {
    long cap =
        Math.min(maxBackoff.toNanos(), initialBackoff.toNanos() << Math.min(attempt - 1, 30));
    if (cap > 0) {
      sleeper.sleep(Duration.ofNanos(ThreadLocalRandom.current().nextLong(cap + 1)));
    }
  }
}
