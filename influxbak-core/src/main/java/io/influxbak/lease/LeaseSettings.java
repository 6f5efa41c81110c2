package io.influxbak.lease;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import io.influxbak.transfer.RetryPolicy;
import java.time.Clock;
import java.time.Duration;

/**
 * How long a lease lasts and how its holder and others treat it.
 *
 * <p>A holder renews every {@code renewEvery} to {@code duration} from then, and stops changing the
 * store once its own clock passes the expiry without a renewal. Others take a lease over only once
 * their clock is past its expiry by {@code takeoverMargin}, which must cover the clock skew between
 * hosts and the longest single write or delete a holder may have in flight.
 *
 * @param duration how long a lease lasts from its last renewal
 * @param renewEvery how often the holder renews (less than {@code duration})
 * @param takeoverMargin how far past its expiry a lease must be before another run takes it over
 * @param maxWait how long to wait for a conflicting holder before refusing (zero: refuse at once)
 * @param pollEvery how often a waiting run looks again
 * @param renewInBackground whether a daemon thread renews (else only {@link HeldLease#checkHeld}
 *     does, before changes: for tests that drive time themselves)
 * @param clock the clock lease times are read from
 * @param sleeper how waiting runs wait
 */
public record LeaseSettings(
    Duration duration,
    Duration renewEvery,
    Duration takeoverMargin,
    Duration maxWait,
    Duration pollEvery,
    boolean renewInBackground,
    Clock clock,
    RetryPolicy.Sleeper sleeper) {

  /** Five minutes, renewed every minute, taken over five minutes after expiry; no waiting. */
  public static LeaseSettings defaults() {
    return new LeaseSettings(
        Duration.ofMinutes(5),
        Duration.ofMinutes(1),
        Duration.ofMinutes(5),
        Duration.ZERO,
        Duration.ofSeconds(5),
        true,
        Clock.systemUTC(),
        RetryPolicy.Sleeper.REAL);
  }

  /** Checks the durations against each other. */
  public LeaseSettings {
    requireNonNull(duration, "duration is null");
    requireNonNull(renewEvery, "renewEvery is null");
    requireNonNull(takeoverMargin, "takeoverMargin is null");
    requireNonNull(maxWait, "maxWait is null");
    requireNonNull(pollEvery, "pollEvery is null");
    requireNonNull(clock, "clock is null");
    requireNonNull(sleeper, "sleeper is null");
    checkArgument(
        !renewEvery.isNegative() && !renewEvery.isZero() && renewEvery.compareTo(duration) < 0,
        "renewEvery %s must be positive and shorter than the lease duration %s",
        renewEvery,
        duration);
    checkArgument(!takeoverMargin.isNegative(), "negative takeoverMargin %s", takeoverMargin);
    checkArgument(!maxWait.isNegative(), "negative maxWait %s", maxWait);
    checkArgument(
        !pollEvery.isNegative() && !pollEvery.isZero(), "pollEvery %s not positive", pollEvery);
  }

  /** The same settings with leases of {@code duration}, renewed every fifth of it. */
  public LeaseSettings withDuration(Duration duration) {
    return new LeaseSettings(
        duration,
        duration.dividedBy(5),
        takeoverMargin,
        maxWait,
        pollEvery,
        renewInBackground,
        clock,
        sleeper);
  }

  /** The same settings, taking a lease over {@code margin} after its expiry. */
  public LeaseSettings withTakeoverMargin(Duration margin) {
    return new LeaseSettings(
        duration, renewEvery, margin, maxWait, pollEvery, renewInBackground, clock, sleeper);
  }

  /** The same settings, waiting up to {@code wait} for a conflicting holder. */
  public LeaseSettings withMaxWait(Duration wait) {
    return new LeaseSettings(
        duration, renewEvery, takeoverMargin, wait, pollEvery, renewInBackground, clock, sleeper);
  }

  /**
   * The same settings with time read from {@code clock}, waits made by {@code sleeper}, and no
   * background renewal: what a test that drives time itself needs.
   */
  public LeaseSettings withTime(Clock clock, RetryPolicy.Sleeper sleeper) {
    return new LeaseSettings(
        duration, renewEvery, takeoverMargin, maxWait, pollEvery, false, clock, sleeper);
  }
}
