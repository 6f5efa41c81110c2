package io.influxbak.backup;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import io.influxbak.store.ObjectLock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import javax.annotation.concurrent.Immutable;

/**
 * How long a backup's objects stay locked against deletion and replacement, and how strictly: what
 * {@link BackupOptions.Builder#lock} asks for. When the backup completes, every object it needs to
 * be restored (its own copies, the objects it reuses from earlier backups, their data keys) is
 * locked until {@code period} from then, an existing longer lock being kept; the start marker is
 * locked when the run claims its root, so a store that cannot lock fails the run before it copies
 * anything.
 *
 * <p>A lock covering a retention policy lasts as long as the policy can keep a backup: {@code new
 * RetentionLock(mode, policy.longestKeep(backupInterval))} ({@code RetentionPolicy.longestKeep}):
 * every backup the policy keeps is locked while it is kept; one it drops sooner stays, retired,
 * until its lock has passed.
 *
 * @param mode how strict the lock is
 * @param period how long from the backup's completion
 */
@Immutable
public record RetentionLock(ObjectLock.Mode mode, Duration period) {
  /** Checks the parts. */
  public RetentionLock {
    requireNonNull(mode, "mode is null");
    requireNonNull(period, "period is null");
    checkArgument(
        !period.isNegative() && !period.isZero(), "a lock period must be positive, not %s", period);
  }

  /**
   * The lock this asks for on an object locked at {@code now}: until {@code now + period}, rounded
   * up to a whole second (stores keep seconds or milliseconds, and a lock must not end sooner than
   * asked).
   */
  public ObjectLock from(Instant now) {
    Instant until = now.plus(period);
    Instant whole = until.truncatedTo(ChronoUnit.SECONDS);
    return new ObjectLock(mode, whole.equals(until) ? whole : whole.plusSeconds(1));
  }
}
