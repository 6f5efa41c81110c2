package io.influxbak.lease;

import static java.util.Objects.requireNonNull;

import io.influxbak.store.ObjectKey;
import java.util.Optional;

/**
 * A lease as another run sees it: where it is, the version read, what it says, and whether it may
 * be taken over.
 *
 * @param name the lease's name (its key under {@link Leases#ROOT}), as {@code break-lease} takes it
 * @param key the lease object
 * @param version the store's version of the object read
 * @param record what it says; empty when it does not read
 * @param problem why it does not read; empty when it reads
 * @param status what the reader's clock says of it
 */
public record LeaseState(
    String name,
    ObjectKey key,
    String version,
    Optional<LeaseRecord> record,
    Optional<String> problem,
    Status status) {

  /** Where a lease stands by the reader's clock. */
  public enum Status {
    /** Before its expiry: its holder runs. */
    FRESH,
    /** Past its expiry but within the takeover margin: still respected. */
    EXPIRED,
    /** Past its expiry by the margin: its holder stopped or lost it; another run may take it. */
    STALE,
    /** The object does not read as a lease: respected until an operator breaks it. */
    UNREADABLE
  }

  /** Checks the fields. */
  public LeaseState {
    requireNonNull(name, "name is null");
    requireNonNull(key, "key is null");
    requireNonNull(version, "version is null");
    requireNonNull(record, "record is null");
    requireNonNull(problem, "problem is null");
    requireNonNull(status, "status is null");
  }

  /** Whether its holder may still be running: anything but {@link Status#STALE}. */
  public boolean respected() {
    return status != Status.STALE;
  }

  /** One line for messages and {@code list}: the name, the holder and the status. */
  public String describe() {
    return name
        + ": "
        + record.map(LeaseRecord::describe).orElse("unreadable (" + problem.orElse("") + ")")
        + " ["
        + status.name().toLowerCase(java.util.Locale.ROOT)
        + "]";
  }
}
