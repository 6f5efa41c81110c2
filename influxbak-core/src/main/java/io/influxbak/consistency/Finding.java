package io.influxbak.consistency;

import static java.util.Objects.requireNonNull;

import io.influxbak.store.ObjectKey;

/**
 * One finding of a consistency check.
 *
 * @param severity how much it matters
 * @param key the object it is about (its node key)
 * @param reason what was found, in words
 */
public record Finding(Severity severity, ObjectKey key, String reason) {
  /** How much a finding matters. */
  public enum Severity {
    /** A fact worth knowing (the consistency point, orphans, WAL files beyond the snapshot). */
    INFO,
    /** Something the server tolerates but an operator should look at. */
    WARNING,
    /** The node or backup is not consistent: restoring it would lose or corrupt data. */
    ERROR
  }

  /** Checks that no component is null. */
  public Finding {
    requireNonNull(severity, "severity is null");
    requireNonNull(key, "key is null");
    requireNonNull(reason, "reason is null");
  }
}
