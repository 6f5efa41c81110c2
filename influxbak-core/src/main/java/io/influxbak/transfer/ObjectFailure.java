package io.influxbak.transfer;

import static java.util.Objects.requireNonNull;

import io.influxbak.store.ObjectKey;

/**
 * One object that could not be copied.
 *
 * @param key the source key
 * @param reason the cause, in words (never credentials)
 * @param cause the exception
 */
public record ObjectFailure(ObjectKey key, String reason, Exception cause) {
  /** Checks that no component is null. */
  public ObjectFailure {
    requireNonNull(key, "key is null");
    requireNonNull(reason, "reason is null");
    requireNonNull(cause, "cause is null");
  }
}
