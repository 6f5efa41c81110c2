package io.influxbak.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import javax.annotation.concurrent.Immutable;

/**
 * A retention a store enforces on one object: until {@code retainUntil} the object can be neither
 * deleted nor replaced (S3 Object Lock retention, an Azure version-level immutability policy, a GCS
 * object retention). See {@link ObjectStore#lock}.
 *
 * @param mode how strict the lock is
 * @param retainUntil the instant from which the store lets the object be deleted again
 */
@Immutable
public record ObjectLock(Mode mode, Instant retainUntil) {
  /** Checks the parts. */
  public ObjectLock {
    requireNonNull(mode, "mode is null");
    requireNonNull(retainUntil, "retainUntil is null");
  }

  /** Whether the lock still holds at {@code now}. */
  public boolean holdsAt(Instant now) {
    return retainUntil.isAfter(requireNonNull(now, "now is null"));
  }

  /** This lock, if it reaches at least as far as {@code other}, else {@code other}. */
  public ObjectLock atLeast(ObjectLock other) {
    return retainUntil.isBefore(other.retainUntil()) ? other : this;
  }

  /**
   * The lock to set on an object now held under {@code held} so that it is held at least as far as
   * this lock and as strictly as either (COMPLIANCE is never weakened); empty when {@code held}
   * already does. What every adapter's {@link ObjectStore#lock} sets.
   */
  public Optional<ObjectLock> extending(Optional<ObjectLock> held) {
    if (held.isEmpty()) {
      return Optional.of(this);
    }
    ObjectLock merged =
        new ObjectLock(
            held.get().mode() == Mode.COMPLIANCE ? Mode.COMPLIANCE : mode,
            held.get().atLeast(this).retainUntil());
    return merged.equals(held.get()) ? Optional.empty() : Optional.of(merged);
  }

  /**
   * {@code <mode> until <instant>}, e.g. {@code governance until 2027-01-06T10:00:00Z}: what {@link
   * #parse} reads.
   */
  @Override
  public String toString() {
    return mode.name().toLowerCase(java.util.Locale.ROOT) + " until " + retainUntil;
  }

  /** The lock {@code text} ({@link #toString}) names; empty for anything else ({@code none}). */
  public static Optional<ObjectLock> parse(String text) {
    int until = requireNonNull(text, "text is null").indexOf(" until ");
    if (until < 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new ObjectLock(
              Mode.valueOf(text.substring(0, until).toUpperCase(java.util.Locale.ROOT)),
              Instant.parse(text.substring(until + " until ".length()))));
    } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The two strengths every store with locks offers. */
  public enum Mode {
    /**
     * Users with a special permission may shorten or remove the lock (S3 {@code GOVERNANCE} with
     * {@code s3:BypassGovernanceRetention}, Azure and GCS {@code Unlocked}): what lets an
     * administrator undo a mistake.
     */
    GOVERNANCE,
    /**
     * Nobody, not even the account's owner, can shorten or remove it (S3 {@code COMPLIANCE}, Azure
     * and GCS {@code Locked}): the object stays until the date has passed.
     */
    COMPLIANCE
  }
}
